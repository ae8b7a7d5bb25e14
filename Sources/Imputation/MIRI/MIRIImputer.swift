import Flow
import Linalg

/// MIRI (Yu et al., NeurIPS 2025): imputation by rounds of rectified flows that reduce the
/// mutual information between the imputed table and its missingness mask.
///
///     let imputer = MIRIImputer(configuration: .calibrated)
///     let result = try imputer.impute(table)               // table: NaN marks missing
///     let (model, imputed) = try imputer.fitAndImpute(table)
///     model.rounds                                         // what each round did
///
/// Standardization and its inverse happen inside; observed entries come back bit for bit.
/// A run that produces a non-finite value stops with `MIRIError.diverged`, naming the round.
/// `hooks` see the table after the noise fill (round 0) and after every round.
public struct MIRIImputer: Imputer {
    /// MIRI's knobs (`MIRIConfiguration`).
    public typealias Configuration = MIRIConfiguration
    /// The settings of the run, its seed included.
    public var configuration: Configuration
    /// Progress, round-by-round tables and cancellation.
    public var hooks: MIRIHooks
    /// Threads and product splitting of training and the ODE.
    public var compute: ComputeContext

    /// "miri".
    public var name: String { "miri" }

    /// A MIRI imputer with these settings (default: the `calibrated` preset).
    public init(configuration: Configuration = .calibrated, hooks: MIRIHooks = MIRIHooks(), compute: ComputeContext = .default) {
        self.configuration = configuration
        self.hooks = hooks
        self.compute = compute
    }

    /// Trains on `data` and imputes it: `fitAndImpute(data).imputed`, or `data` itself when nothing
    /// is missing. Only the first member is fitted (the others change nothing in the result).
    public func impute(_ data: Matrix) throws -> ImputationResult {
        let pattern = try MissingPattern(validating: data)
        if pattern.missingCount == 0 { return ImputationResult(imputed: data, imputedCount: 0) }
        let (_, imputed) = try fitAndImpute(data, pattern: pattern, fittingMembers: false)
        return ImputationResult(imputed: imputed, imputedCount: pattern.missingCount)
    }

    /// Trains on `data` and keeps the per-round networks of every member, so the model can impute new rows and draw.
    public func fit(_ data: Matrix) throws -> FittedMIRI {
        try fitAndImpute(data).model
    }

    /// Trains on `data` and imputes it in one run: the model (with each round's diagnostics in
    /// `rounds`) and the completed table, which `model.transform(data)` reproduces bit for bit.
    public func fitAndImpute(_ data: Matrix) throws -> (model: FittedMIRI, imputed: Matrix) {
        try fitAndImpute(data, pattern: MissingPattern(validating: data))
    }

    /// As `fitAndImpute(_:)`, optionally continuing an interrupted run and reporting its state for checkpoints.
    ///
    /// - `fittingMembers`: false fits the whole-table member only (a one-member model, for a
    ///   caller that keeps the imputation alone). The checkpoints hold that member's rounds; the
    ///   bootstrap members train after its last round and are not saved in them.
    /// - `resumingFrom`: the state of a run of this configuration on this very table after some
    ///   rounds (see `MIRIRunState.check(continues:configuration:)`, which throws `ResumeMismatch`
    ///   otherwise); the run continues with the next round. With the same thread count the
    ///   result is bit for bit that of an uninterrupted run.
    /// - `checkpoint`: called with the state after the noise fill (round 0) and after every
    ///   round; an error it throws stops the run and is rethrown (a caller can stop cleanly after
    ///   round k by throwing `ImputationError.cancelled(completedRounds: k)` once the state is saved).
    package func fitAndImpute(_ data: Matrix, resumingFrom saved: MIRIRunState? = nil, fittingMembers: Bool = true,
                              checkpoint: ((MIRIRunState) throws -> Void)? = nil) throws -> (model: FittedMIRI, imputed: Matrix) {
        try fitAndImpute(data, pattern: MissingPattern(validating: data), resumingFrom: saved, fittingMembers: fittingMembers,
                         checkpoint: checkpoint)
    }

    /// SPEC's algorithm: standardize and noise-fill (step 1), K rounds (step 2), un-standardize (step 3);
    /// with `fittingMembers`, the bootstrap members train alongside (`withMembers`).
    func fitAndImpute(_ data: Matrix, pattern: MissingPattern, resumingFrom saved: MIRIRunState? = nil, fittingMembers: Bool = true,
                      checkpoint: ((MIRIRunState) throws -> Void)? = nil) throws -> (model: FittedMIRI, imputed: Matrix) {
        if data.rows < 2 { throw InputError.tooFewRows(needed: 2, got: data.rows) }
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }
        if let saved { try saved.check(continues: data, configuration: configuration) }
        let whole = { (shouldStop: (() -> Bool)?) in
            try self.compute.run { try self.wholeTableRounds(data, pattern: pattern, resumingFrom: saved, shouldStop: shouldStop,
                                                             checkpoint: checkpoint) }
        }
        let (state, others) = fittingMembers && configuration.memberCount > 1
            ? try withMembers(data, pattern: pattern, whole: whole) : (try whole(hooks.shouldStop), [])
        let model = FittedMIRI(configuration: configuration, scaling: state.scaling, bounds: state.bounds,
                               networks: state.networks, otherMembers: others, rounds: state.rounds, compute: compute)
        return (model, try compute.run { try data.merging(imputed: state.scaling.invert(state.imputation)) })
    }

    /// The K rounds on the whole table (member 1), from the noise fill or from `saved`.
    private func wholeTableRounds(_ data: Matrix, pattern: MissingPattern, resumingFrom saved: MIRIRunState?,
                                  shouldStop: (() -> Bool)?, checkpoint: ((MIRIRunState) throws -> Void)?) throws -> MIRIRunState {
        var state: MIRIRunState
        if let saved {
            state = saved
        } else {
            state = start(data, pattern: pattern)
            hooks.noiseFilled?(data.filling(from: state.scaling.invert(state.imputation)))
            try checkpoint?(state)
        }
        var roundHooks = hooks
        roundHooks.shouldStop = shouldStop
        try finishRounds(&state, observed: pattern.observed, hooks: roundHooks) { state, diagnostics in
            hooks.roundFinished?(diagnostics, data.filling(from: state.scaling.invert(state.imputation)))
            try checkpoint?(state)
        }
        return state
    }

    /// Runs the rounds `state` has left (SPEC step 2), drawing from the generator it holds;
    /// `afterRound` sees the state after each round (progress, checkpoints).
    func finishRounds(_ state: inout MIRIRunState, observed: Matrix, hooks: MIRIHooks,
                      afterRound: ((MIRIRunState, RoundDiagnostics) throws -> Void)? = nil) throws {
        var random = RandomSource(state: state.random)
        let rounds = MIRIRounds(configuration: configuration, hooks: hooks, bounds: state.bounds)
        while !state.isFinished {
            let (network, diagnostics) = try rounds.runRound(state.completedRounds + 1, x: &state.x, observed: observed,
                                                             random: &random, previous: state.networks.last)
            state.networks.append(network)
            state.rounds.append(diagnostics)
            state.random = random.state
            try afterRound?(state, diagnostics)
        }
    }

    /// Round 0: the scaling, the bounds and the noise fills, drawn first from `RandomSource(seed)`:
    /// the result's own first (the one `FittedMIRI.transform` draws with the same seed), then one
    /// for each further imputation the configuration evolves alongside it.
    /// A bootstrap member passes the whole table's scaling and bounds as `shared` (see `withMembers`).
    func start(_ data: Matrix, pattern: MissingPattern, shared: (Standardization, ColumnBounds?)? = nil) -> MIRIRunState {
        let scaling = shared?.0 ?? Standardization(fitting: data)
        let standardized = scaling.apply(data)
        let bounds = shared.map { $0.1 } ?? observedBounds(standardized, pattern: pattern)
        var random = RandomSource(seed: configuration.seed)
        var fills: [Float] = []
        for _ in 0..<configuration.chains(forRows: data.rows) {
            fills += MIRIImputer.noiseFilled(standardized, random: &random).storage
        }
        let x = Matrix(rows: fills.count / max(data.cols, 1), cols: data.cols, storage: fills)
        return MIRIRunState(configuration: configuration, scaling: scaling, bounds: bounds,
                            inputFingerprint: TableFingerprint.of(data), x: x, random: random.state, tableRows: data.rows)
    }

    /// Each standardized column's observed range when the configuration clamps to it (nil: it does not).
    func observedBounds(_ standardized: Matrix, pattern: MissingPattern) -> ColumnBounds? {
        configuration.clampToObservedRange ? ColumnBounds(observedRangeOf: standardized, observed: pattern.observed) : nil
    }

    /// Replaces each NaN with an independent N(0, 1) draw, in row-major order (SPEC step 1).
    package static func noiseFilled(_ standardized: Matrix, random: inout RandomSource) -> Matrix {
        var x = standardized
        for k in 0..<x.count where x.storage[k].isNaN { x.storage[k] = Float(random.normal()) }
        return x
    }
}
