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
public struct FittedMIRI: FittedImputer {
    /// The settings of the fit; `configuration.seed` is the default seed of `transform`.
    public package(set) var configuration: MIRIConfiguration
    /// The training table's column scaling (observed entries' mean and population std).
    public package(set) var scaling: Standardization
    /// The training table's observed range per column (standardized), applied after each flow; nil: none.
    package var bounds: ColumnBounds?
    /// The K velocity networks, one per round. Never changed after the fit (nothing outside the
    /// package can reach them, and applying one allocates its own workspace), so copies of a
    /// model share them safely.
    package let networks: [MLP]
    /// The networks of members 2 … M (`MIRIConfiguration.members`): K each, every member fitted on
    /// a bootstrap resample of the training rows under the same scaling and bounds. Empty for a
    /// model of one member (every model fitted before members existed).
    package let otherMembers: [[MLP]]
    /// What each round of the fit did.
    public package(set) var rounds: [RoundDiagnostics]
    /// The training table's column names, when it had any (a CSV header); a table imputed with
    /// the model must have the same ones. nil for a model fitted on a bare matrix.
    public var columnNames: [String]?
    /// Threads and product splitting of the ODE.
    public var compute: ComputeContext
    /// The training table's column kinds (see `FittedSchema`); nil for a table of numbers.
    public var schema: FittedSchema? = nil

    package init(configuration: MIRIConfiguration, scaling: Standardization, bounds: ColumnBounds?,
                 networks: [MLP], otherMembers: [[MLP]] = [], rounds: [RoundDiagnostics] = [], columnNames: [String]? = nil,
                 compute: ComputeContext = .default) {
        precondition(!networks.isEmpty, "a fitted model needs at least one network")
        precondition(otherMembers.allSatisfy { $0.count == networks.count }, "every member has one network per round")
        precondition(columnNames.map { $0.count == scaling.means.count } ?? true, "one name per column")
        self.configuration = configuration
        self.scaling = scaling
        self.bounds = bounds
        self.networks = networks
        self.otherMembers = otherMembers
        self.rounds = rounds
        self.columnNames = columnNames
        self.compute = compute
    }

    /// Columns the model was fitted on.
    public var columns: Int { scaling.means.count }
    /// The fit's seed.
    public var defaultSeed: UInt64 { configuration.seed }
    /// The ODE's row blocks (see `transform(_:random:shouldStop:)`).
    public var batchRowMultiple: Int { configuration.odeBlockRows }
    /// "miri: K rounds", and the members when there are several.
    public var summary: String { "miri: \(networks.count) rounds" + (memberCount > 1 ? ", \(memberCount) members" : "") }

    /// Models kept for drawing: the fit on the whole table and its bootstrap members.
    public var memberCount: Int { 1 + otherMembers.count }

    /// The member (0: the fit on the whole table) that a draw from `random` comes from: its
    /// seed's distance from the fit's seed, modulo the members. Draws from consecutive seeds
    /// cycle through the members, the fit's own seed gives the whole-table member (so
    /// `transform` with the fit's seed reproduces the fit), and every row batch of one draw
    /// uses one member. A generator restored from a saved state (no seed) uses member 0.
    public func member(forDraw random: RandomSource) -> Int {
        guard memberCount > 1, let seed = random.seed else { return 0 }
        return Int((seed &- configuration.seed) % UInt64(memberCount))
    }

    /// Imputes the NaN entries of `data` (same columns as the training table): a fresh noise
    /// fill drawn from `random`, then the K flows of the member `member(forDraw: random)` picks.
    /// Observed entries come back bit for bit.
    ///
    /// The noise fill draws one normal per missing entry, in row-major order, and nothing else
    /// is random; so imputing a table in consecutive row batches with one generator draws the
    /// same noise as imputing it whole. The results agree bit for bit when every batch but the
    /// last has a multiple of `configuration.odeBlockRows` rows (the ODE then sees the same
    /// row blocks).
    ///
    /// `shouldStop` is polled after each round's flow; returning true stops with
    /// `ImputationError.cancelled(completedRounds: 0)` (nothing of a stopped imputation is kept).
    public func transform(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> ImputationResult {
        try complete(data, shouldStop: shouldStop) { pattern in
            let observed = pattern.observed
            let member = member(forDraw: random)
            let flows = member == 0 ? networks : otherMembers[member - 1]
            var x = MIRIImputer.noiseFilled(scaling.apply(data), random: &random)
            let sampler = FlowSampler(steps: configuration.odeSteps, blockRows: configuration.odeBlockRows, solver: configuration.odeSolver)
            for (k, network) in flows.enumerated() {
                sampler.integrate(network: network, x: &x, observed: observed)
                if x.storage.contains(where: { !$0.isFinite }) { throw MIRIError.diverged(round: k + 1, stage: "the ODE re-imputation") }
                bounds?.clampMissing(&x, observed: observed)
                if shouldStop?() == true { throw ImputationError.cancelled(completedRounds: 0) }
            }
            return scaling.invert(x)
        }
    }
}
