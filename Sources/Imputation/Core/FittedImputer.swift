import Flow
import Linalg

/// A fitted imputer: what `Imputer.fit` returns, which completes any table with the columns it
/// was fitted on (`FittedMean`: the column means; `FittedKNN`: the training rows as donors;
/// `FittedMIRI`: the K flows; `FittedMICE`: every round's regressions).
///
/// Every transform keeps observed entries bit for bit, leaves no NaN, refuses a table with
/// other columns (`ModelMismatch`) or ±inf (`InputError.infinite`), returns a table with
/// nothing missing as it is, and stops with `ImputationError.cancelled(completedRounds: 0)` when
/// `shouldStop` returns true. A table may have any number of rows, and a column may be missing
/// in all of them. Those steps are written once, in `complete(_:shouldStop:fill:)`.
public protocol FittedImputer: Sendable {
    /// Columns the model was fitted on.
    var columns: Int { get }
    /// The training table's column names, when it had a header; a table completed with the
    /// model must then have the same ones (`StreamingImputation` checks them).
    var columnNames: [String]? { get }
    /// The seed of the draws when the caller gives none: the one the model was fitted with.
    var defaultSeed: UInt64 { get }
    /// Row batches that are a multiple of this complete exactly as the whole table would (1: any).
    var batchRowMultiple: Int { get }
    /// The method and its main settings, for messages ("mice: 10 rounds").
    var summary: String { get }
    /// Threads and product splitting of the work (inherited from the imputer that fitted it).
    var compute: ComputeContext { get set }
    /// The training table's column kinds when it had more than numeric columns (the model's
    /// columns are then the encoded ones); nil for a table of numbers.
    var schema: FittedSchema? { get }

    /// Completes `data`. Methods that draw (MIRI) draw from `random`, which advances, so a
    /// caller completing a file in row batches continues one stream across them; the others
    /// (mean, kNN, MICE's point imputation) do not use it.
    func transform(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)?) throws -> ImputationResult

    /// One completed table per generator, draw k from `randoms[k − 1]` (each advances), for
    /// multiple imputation. Point imputers give their one table every time.
    func draws(_ data: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)?) throws -> [Matrix]
}

extension FittedImputer {
    /// Only MIRI and MICE models keep a schema (the ones `miri fit` saves).
    public var schema: FittedSchema? { nil }

    /// Completes `data`, drawing (where the method draws) from `seed`, by default the fit's:
    /// on the training table that reproduces the fit's own imputation bit for bit.
    public func transform(_ data: Matrix, seed: UInt64? = nil) throws -> ImputationResult {
        var random = RandomSource(seed: seed ?? defaultSeed)
        return try transform(data, random: &random, shouldStop: nil)
    }

    /// Each draw is a `transform` with its own generator (right for MIRI and the point imputers).
    public func draws(_ data: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)? = nil) throws -> [Matrix] {
        try randoms.indices.map { try transform(data, random: &randoms[$0], shouldStop: shouldStop).imputed }
    }

    /// The steps every transform shares: check `data` against the model, return it as it is when
    /// nothing is missing, else merge `fill`'s values (the method's work, on the data's scale)
    /// into its missing entries under the model's compute context.
    /// `shouldStop` is polled once more after `fill` (which may poll it too).
    package func complete(_ data: Matrix, shouldStop: (() -> Bool)?,
                          fill: (MissingPattern) throws -> Matrix) throws -> ImputationResult {
        guard data.cols == columns else { throw ModelMismatch.columns(expected: columns, got: data.cols) }
        let pattern = try MissingPattern(checking: data)
        if pattern.missingCount == 0 { return ImputationResult(imputed: data, imputedCount: 0) }
        let values = try compute.run { try fill(pattern) }
        if shouldStop?() == true { throw ImputationError.cancelled(completedRounds: 0) }
        return ImputationResult(imputed: try data.merging(imputed: values), imputedCount: pattern.missingCount)
    }
}

/// A table that does not fit a model.
public enum ModelMismatch: Error, Equatable, CustomStringConvertible {
    /// The table has `got` columns; the model was fitted on `expected`.
    case columns(expected: Int, got: Int)
    /// Column `column` (from 0) is named `got`; the model has `expected` there.
    case columnName(column: Int, expected: String, got: String)

    /// One line naming the counts or the column.
    public var description: String {
        switch self {
        case let .columns(expected, got): return "the model was fitted on \(expected) columns; this table has \(got)"
        case let .columnName(column, expected, got):
            return "column \(column + 1) is \"\(got)\", but the model has \"\(expected)\" there; the columns must be the model's, in its order"
        }
    }
}
