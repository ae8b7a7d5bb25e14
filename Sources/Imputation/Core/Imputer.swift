import Linalg

/// What every imputer's `impute` and every fitted imputer's `transform` return.
public struct ImputationResult: Sendable {
    /// The input with every NaN replaced; observed entries are the input's, bit for bit.
    public var imputed: Matrix
    /// How many entries were missing and are now imputed.
    public var imputedCount: Int

    /// A completed table and the number of entries that were filled.
    public init(imputed: Matrix, imputedCount: Int) {
        self.imputed = imputed
        self.imputedCount = imputedCount
    }
}

/// The contract every imputer meets, in the spirit of scikit-learn's fit/transform.
///
/// `fit` learns from a table with `Float.nan` marking missing entries and returns a fitted
/// imputer (`FittedImputer`) that completes any table with the same columns; `impute` is the
/// one call that does both on one table, and equals `fit(table).transform(table)` (with the
/// fit's seed, for the methods that draw). Both keep observed entries bit for bit and never
/// leave a NaN. A bad table (no rows or columns, ±inf, a column with no observed value) throws
/// `InputError` before any work starts.
///
/// Every imputer holds the `ComputeContext` its work runs under (default: all cores, the
/// package's own product threading); the fitted imputer inherits it.
public protocol Imputer: Sendable {
    /// What `fit` returns.
    associatedtype Fitted: FittedImputer
    /// A short name for tables and logs ("mean", "knn", "miri", "mice").
    var name: String { get }
    /// Threads and product splitting of the work.
    var compute: ComputeContext { get set }
    /// Learns from `data` what completing a table with its columns takes.
    func fit(_ data: Matrix) throws -> Fitted
    /// Completes `data`: the same table as `fit(data).transform(data)`.
    func impute(_ data: Matrix) throws -> ImputationResult
}

extension Imputer {
    /// Fits on `data`, then completes it (the default for methods whose fit does not impute).
    public func impute(_ data: Matrix) throws -> ImputationResult {
        try fit(data).transform(data)
    }
}

/// A problem with the table handed to an imputer. Rows and columns count from 0.
public enum InputError: Error, Equatable, CustomStringConvertible {
    /// The table has no rows or no columns.
    case empty
    /// A ±inf entry (only finite numbers, or NaN for missing, are allowed).
    case infinite(row: Int, column: Int)
    /// Every entry of the column is missing, so there is nothing to learn it from.
    case columnWithoutObservations(column: Int)
    /// The method needs more rows than the table has.
    case tooFewRows(needed: Int, got: Int)

    /// One line naming the row or column and what is wrong.
    public var description: String {
        switch self {
        case .empty: return "the table has no rows or no columns"
        case let .infinite(row, column): return "row \(row), column \(column): infinite value (only finite numbers or NaN for missing)"
        case let .columnWithoutObservations(column): return "column \(column) has no observed value, so it cannot be imputed"
        case let .tooFewRows(needed, got): return "the table has \(got) row(s); this imputer needs at least \(needed)"
        }
    }
}

/// Which entries of a table are observed.
package struct MissingPattern: Sendable {
    /// 1 where observed, 0 where missing (n × d), the form the flow network takes.
    package let observed: Matrix
    package let missingCount: Int

    /// Validates a table to learn from (see `InputError`) and records its NaN pattern.
    package init(validating data: Matrix) throws {
        if data.rows == 0 || data.cols == 0 { throw InputError.empty }
        try self.init(checking: data)
        if data.rows > 0, let j = (0..<data.cols).first(where: { j in (0..<data.rows).allSatisfy { observed[$0, j] == 0 } }) {
            throw InputError.columnWithoutObservations(column: j)
        }
    }

    /// Records the NaN pattern of a table to complete with a fitted model: any number of rows,
    /// any column may be all missing; only ±inf is refused.
    package init(checking data: Matrix) throws {
        var observed = Matrix(rows: data.rows, cols: data.cols)
        var missing = 0
        for k in 0..<data.count {
            let v = data.storage[k]
            if v.isNaN { missing += 1; continue }
            if v.isInfinite { throw InputError.infinite(row: k / data.cols, column: k % data.cols) }
            observed.storage[k] = 1
        }
        self.observed = observed
        self.missingCount = missing
    }

    package func isObserved(_ i: Int, _ j: Int) -> Bool { observed[i, j] != 0 }
}
