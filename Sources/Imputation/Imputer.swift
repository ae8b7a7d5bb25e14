import Flow
import Linalg

/// What every imputer returns: the completed table and, for MIRI, what each round did.
public struct ImputationResult: Sendable {
    /// The input with every NaN replaced; observed entries are the input's, bit for bit.
    public var imputed: Matrix
    /// Per-round diagnostics (empty for one-shot imputers).
    public var rounds: [RoundDiagnostics]

    public init(imputed: Matrix, rounds: [RoundDiagnostics] = []) {
        self.imputed = imputed
        self.rounds = rounds
    }
}

/// The contract every imputer meets.
///
/// `impute` takes a table with `Float.nan` marking missing entries and returns it completed:
/// observed entries unchanged bit for bit, no NaN anywhere. Bad tables (±inf, no rows, a
/// column with no observed value) throw `InputError` before any work starts.
public protocol Imputer: Sendable {
    /// A short name for tables and logs ("mean", "knn", "miri").
    var name: String { get }
    func impute(_ data: Matrix) throws -> ImputationResult
}

/// A problem with the table handed to an imputer. Rows and columns count from 0.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case empty
    case infinite(row: Int, column: Int)
    case columnWithoutObservations(column: Int)
    case tooFewRows(needed: Int, got: Int)

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
public struct MissingPattern: Sendable {
    /// 1 where observed, 0 where missing (n × d), the form the flow network takes.
    public let observed: Matrix
    public let missingCount: Int

    /// Validates `data` (see `InputError`) and records its NaN pattern.
    public init(validating data: Matrix) throws {
        if data.rows == 0 || data.cols == 0 { throw InputError.empty }
        var observed = Matrix(rows: data.rows, cols: data.cols)
        var seen = [Bool](repeating: false, count: data.cols)
        var missing = 0
        for i in 0..<data.rows {
            for j in 0..<data.cols {
                let v = data[i, j]
                if v.isNaN { missing += 1; continue }
                if v.isInfinite { throw InputError.infinite(row: i, column: j) }
                observed[i, j] = 1
                seen[j] = true
            }
        }
        if let j = seen.firstIndex(of: false) { throw InputError.columnWithoutObservations(column: j) }
        self.observed = observed
        self.missingCount = missing
    }

    @inlinable
    public func isObserved(_ i: Int, _ j: Int) -> Bool { observed[i, j] != 0 }
}
