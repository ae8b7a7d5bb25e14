import Flow
import Linalg

/// MIRI (Yu et al., NeurIPS 2025): imputation by rounds of rectified flows that reduce the
/// mutual information between the imputed table and its missingness mask.
///
///     let imputer = MIRIImputer(configuration: .fast)
///     let result = try imputer.impute(table)     // table: NaN marks missing
///     result.imputed, result.rounds
///
/// Standardization and its inverse happen inside; observed entries come back bit for bit.
/// A run that produces a non-finite value stops with `MIRIError.diverged`, naming the round.
public struct MIRIImputer: Imputer {
    public typealias Configuration = MIRIConfiguration
    public var configuration: Configuration
    public var hooks: MIRIHooks

    public var name: String { "miri" }

    public init(configuration: Configuration = .fast, hooks: MIRIHooks = MIRIHooks()) {
        self.configuration = configuration
        self.hooks = hooks
    }

    public func impute(_ data: Matrix) throws -> ImputationResult {
        let pattern = try MissingPattern(validating: data)
        if pattern.missingCount == 0 { return ImputationResult(imputed: data) }
        let (model, imputed) = try fitAndImpute(data, pattern: pattern)
        return ImputationResult(imputed: imputed, rounds: model.rounds)
    }

    /// Trains on `data` and keeps the per-round networks, so the model can impute new rows.
    public func fit(_ data: Matrix) throws -> FittedMIRI {
        try fitAndImpute(data, pattern: MissingPattern(validating: data)).model
    }

    /// SPEC's algorithm: standardize and noise-fill (step 1), K rounds (step 2), un-standardize (step 3).
    func fitAndImpute(_ data: Matrix, pattern: MissingPattern) throws -> (model: FittedMIRI, imputed: Matrix) {
        if data.rows < 2 { throw InputError.tooFewRows(needed: 2, got: data.rows) }
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }
        let scaling = Standardization(fitting: data)
        var random = RandomSource(seed: configuration.seed)
        let standardized = scaling.apply(data)
        let bounds = configuration.clampToObservedRange
            ? ColumnBounds(observedRangeOf: standardized, observed: pattern.observed) : nil
        var x = MIRIImputer.noiseFilled(standardized, random: &random)
        let (networks, diagnostics) = try MIRIRounds(configuration: configuration, hooks: hooks, bounds: bounds)
            .run(x: &x, observed: pattern.observed, random: &random)
        let model = FittedMIRI(configuration: configuration, scaling: scaling, bounds: bounds,
                               networks: networks, rounds: diagnostics)
        return (model, MIRIImputer.merge(data, imputed: x, scaling: scaling))
    }

    /// Replaces each NaN with an independent N(0, 1) draw, in row-major order.
    public static func noiseFilled(_ standardized: Matrix, random: inout RandomSource) -> Matrix {
        var x = standardized
        for k in 0..<x.count where x.storage[k].isNaN { x.storage[k] = Float(random.normal()) }
        return x
    }

    /// The input with its NaN entries replaced by the un-standardized imputations.
    /// Observed entries are copied from `data`, so they are bit-exact.
    static func merge(_ data: Matrix, imputed x: Matrix, scaling: Standardization) -> Matrix {
        var out = data
        for k in 0..<out.count where out.storage[k].isNaN {
            out.storage[k] = scaling.invert(x.storage[k], column: k % data.cols)
        }
        return out
    }
}
