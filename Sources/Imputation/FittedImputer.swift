import Flow
import Linalg

/// A fitted model that completes tables it was not fitted on: what `miri apply` streams a file
/// through, whichever method made it (`FittedMIRI`, `FittedMICE`).
///
/// Both imputations keep observed entries bit for bit, refuse a table with other columns
/// (`ModelMismatch`) or ±inf (`InputError.infinite`), and stop with
/// `MIRIError.cancelled(completedRounds: 0)` when `shouldStop` returns true.
public protocol FittedImputer: Sendable {
    /// Columns the model was fitted on.
    var columns: Int { get }
    /// The training table's column names, when it had a header.
    var columnNames: [String]? { get }
    /// The seed of the draws when the caller gives none: the one the model was fitted with.
    var defaultSeed: UInt64 { get }
    /// Row batches that are a multiple of this impute exactly as the whole table would (1: any).
    var batchRowMultiple: Int { get }
    /// The method and its main settings, for messages ("mice: 10 rounds").
    var summary: String { get }

    /// The single imputation: MIRI's draw from `random`; MICE's point imputation (its
    /// regressions' predictions; `random` is not used).
    func impute(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)?) throws -> Matrix
    /// One draw per generator (each advances), for multiple imputation.
    func draws(_ data: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)?) throws -> [Matrix]
}

extension FittedMIRI: FittedImputer {
    public var defaultSeed: UInt64 { configuration.seed }
    /// The ODE's row blocks (see `impute(_:random:shouldStop:)`).
    public var batchRowMultiple: Int { configuration.odeBlockRows }
    public var summary: String { "miri: \(networks.count) rounds" }
}

extension FittedMICE: FittedImputer {
    public var defaultSeed: UInt64 { configuration.seed }
    /// Each row is imputed from itself and the model alone.
    public var batchRowMultiple: Int { 1 }
    public var summary: String { "mice: \(roundsRun) rounds" }

    public func impute(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> Matrix {
        let table = try impute(data)
        if shouldStop?() == true { throw MIRIError.cancelled(completedRounds: 0) }
        return table
    }
}
