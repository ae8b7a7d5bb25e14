import Flow
import Linalg

/// A trained MIRI model: the column scaling and the K per-round velocity networks.
///
/// Applying it (noise fill → flow 1 → … → flow K) imputes rows never seen in training.
/// Applied to the table it was fitted on with the fitting seed, it reproduces that fit's
/// imputation exactly: the noise fill is the first thing both draw from `RandomSource(seed)`,
/// and round k's ODE maps the same table through the same network with the same row blocks.
/// (Training draws more numbers after the noise fill, but no later step of the fit's output
/// depends on them except through the networks, which the model holds.)
///
/// `ModelFile` (module ModelStore) saves and loads models.
public struct FittedMIRI: Sendable {
    public var configuration: MIRIConfiguration
    public var scaling: Standardization
    /// The training table's observed range per column (standardized), applied after each flow; nil: none.
    public var bounds: ColumnBounds?
    public var networks: [MLP]
    /// What each round of the fit did.
    public var rounds: [RoundDiagnostics]
    /// The training table's column names, when it had any (a CSV header); a table imputed with
    /// the model must have the same ones. nil for a model fitted on a bare matrix.
    public var columnNames: [String]?

    public init(configuration: MIRIConfiguration, scaling: Standardization, bounds: ColumnBounds?,
                networks: [MLP], rounds: [RoundDiagnostics] = [], columnNames: [String]? = nil) {
        precondition(!networks.isEmpty, "a fitted model needs at least one network")
        precondition(columnNames.map { $0.count == scaling.means.count } ?? true, "one name per column")
        self.configuration = configuration
        self.scaling = scaling
        self.bounds = bounds
        self.networks = networks
        self.rounds = rounds
        self.columnNames = columnNames
    }

    /// Columns the model was fitted on.
    public var columns: Int { scaling.means.count }

    /// Imputes the NaN entries of `data` (same columns as the training table) with a fresh noise fill
    /// drawn from `seed`. Observed entries come back bit for bit.
    public func impute(_ data: Matrix, seed: UInt64) throws -> Matrix {
        var random = RandomSource(seed: seed)
        return try impute(data, random: &random)
    }

    /// As `impute(_:seed:)`, drawing the noise fill from `random`, so a caller streaming a file
    /// in batches continues one stream across them.
    ///
    /// The noise fill draws one normal per missing entry, in row-major order, and nothing else
    /// is random; so imputing a table in consecutive row batches with one generator draws the
    /// same noise as imputing it whole. The results agree bit for bit when every batch but the
    /// last has a multiple of `configuration.odeBlockRows` rows (the ODE then sees the same
    /// row blocks).
    ///
    /// `shouldStop` is polled after each round's flow; returning true stops with
    /// `MIRIError.cancelled(completedRounds: 0)` (nothing of a stopped imputation is kept).
    public func impute(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> Matrix {
        guard data.cols == columns else { throw ModelMismatch.columns(expected: columns, got: data.cols) }
        for k in 0..<data.count where data.storage[k].isInfinite {
            throw InputError.infinite(row: k / data.cols, column: k % data.cols)
        }
        if data.rows == 0 || !data.storage.contains(where: { $0.isNaN }) { return data }
        var observed = Matrix(rows: data.rows, cols: data.cols)
        for k in 0..<data.count where !data.storage[k].isNaN { observed.storage[k] = 1 }
        var x = MIRIImputer.noiseFilled(scaling.apply(data), random: &random)
        let sampler = EulerSampler(steps: configuration.odeSteps, blockRows: configuration.odeBlockRows)
        for (k, network) in networks.enumerated() {
            sampler.integrate(network: network, x: &x, observed: observed)
            if x.storage.contains(where: { !$0.isFinite }) { throw MIRIError.diverged(round: k + 1, stage: "the ODE re-imputation") }
            bounds?.clampMissing(&x, observed: observed)
            if shouldStop?() == true { throw MIRIError.cancelled(completedRounds: 0) }
        }
        return try MIRIImputer.merge(data, imputed: x, scaling: scaling)
    }
}

/// A table that does not fit a model.
public enum ModelMismatch: Error, Equatable, CustomStringConvertible {
    case columns(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .columns(expected, got): return "the model was fitted on \(expected) columns; this table has \(got)"
        }
    }
}
