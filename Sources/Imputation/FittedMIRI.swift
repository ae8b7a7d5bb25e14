import Flow
import Linalg

/// A trained MIRI model: the column scaling and the K per-round velocity networks.
///
/// Applying it (noise fill → flow 1 → … → flow K) imputes rows never seen in training.
/// Applied to the table it was fitted on with the fitting seed, it reproduces that fit's
/// imputation exactly: the noise fill is the first thing both draw from `RandomSource(seed)`,
/// and round k's ODE maps the same table through the same network with the same row blocks.
public struct FittedMIRI: Sendable {
    public var configuration: MIRIConfiguration
    public var scaling: Standardization
    /// The training table's observed range per column (standardized), applied after each flow; nil: none.
    public var bounds: ColumnBounds?
    public var networks: [MLP]
    /// What each round of the fit did.
    public var rounds: [RoundDiagnostics]

    public init(configuration: MIRIConfiguration, scaling: Standardization, bounds: ColumnBounds?,
                networks: [MLP], rounds: [RoundDiagnostics] = []) {
        precondition(!networks.isEmpty, "a fitted model needs at least one network")
        self.configuration = configuration
        self.scaling = scaling
        self.bounds = bounds
        self.networks = networks
        self.rounds = rounds
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
    public func impute(_ data: Matrix, random: inout RandomSource) throws -> Matrix {
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
        }
        return MIRIImputer.merge(data, imputed: x, scaling: scaling)
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
