import Flow
/// Every knob of a MIRI run, each with a name.
public struct MIRIConfiguration: Sendable, Equatable, Codable {
    /// K: rounds of train-then-re-impute.
    public var rounds: Int
    /// E: passes over the rows per round.
    public var epochs: Int
    /// When set, overrides `epochs` with the fewest epochs that give at least this many
    /// optimizer steps per round, so training cost stays the same from a 300-row table to a
    /// 45,000-row one (nil: use `epochs` as given, as the paper does).
    public var stepsPerRound: Int?
    /// B: rows per minibatch (the last, partial batch of an epoch is kept).
    public var batchSize: Int
    /// N: steps of the re-imputation ODE (each step evaluates the network `odeSolver.evaluationsPerStep` times).
    public var odeSteps: Int
    /// How the re-imputation ODE is integrated: Euler (SPEC) or a second-order rule, which keeps
    /// the draws' spread where Euler narrows it (see `ODESolver`, docs/calibration.md).
    public var odeSolver: ODESolver
    /// Widths of the hidden layers of the velocity MLP (input 3d+1 and output d are implied).
    public var hiddenWidths: [Int]
    /// Adam's step size.
    public var learningRate: Float
    /// Adam's decay of the first moment (0.9).
    public var beta1: Float
    /// Adam's decay of the second moment (0.999).
    public var beta2: Float
    /// Adam's ε in the denominator (1e-8).
    public var epsilon: Float
    /// Seed of the one generator behind every random choice.
    public var seed: UInt64
    /// Rows per forward pass in the ODE (memory vs speed; does not change the result's meaning).
    public var odeBlockRows: Int
    /// Draw a fresh partner permutation P every epoch instead of once per round.
    ///
    /// The objective is the same (x1 is still a draw from the marginal of X, independent of the
    /// mask), but a network trained for many epochs on one fixed pairing learns the pairs
    /// themselves (its loss falls while its imputations get worse); fresh pairs prevent that.
    /// `paper` keeps SPEC's one permutation per round.
    public var freshPartnersEachEpoch: Bool
    /// After each round's ODE, clamp imputations to the observed range of their column
    /// (see `ColumnBounds`). `paper` leaves them as the flow puts them.
    public var clampToObservedRange: Bool
    /// Start each round's network from a copy of the previous round's trained weights instead
    /// of a fresh random init (round 1 starts fresh; each round still keeps its own network).
    ///
    /// A round's target moves only a little from one round to the next, so the previous
    /// network is a near solution; with fresh inits every round relearns the conditional law
    /// from scratch in its few hundred steps and the learned flow stays smooth where the data
    /// have sharp, multi-modal structure (two moons: nearest-row ratio 1.45–1.77 fresh against
    /// 1.30–1.37 warm, docs/history/preset-issue-10.md). `paper` starts fresh, as SPEC step 2b says.
    public var warmStart: Bool
    /// When set, the rounds evolve ⌈chainRows / n⌉ imputations of an n-row table side by side
    /// (at most `maximumChains`), each from its own noise fill, and train each round's network
    /// on rows drawn from all of them (nil: one imputation, as SPEC says).
    ///
    /// With one imputation a round's network only ever sees the n source points of that one
    /// noise fill's trajectory, and learns a velocity field that is right near them and wrong
    /// elsewhere: the fit's own imputation looks fine, but the same model applied to another
    /// noise fill (another draw, or new rows) lands far off (housing: one draw's RMSE 0.94 for
    /// the fit's noise, 1.33–1.38 for others). Several imputations make the source of each
    /// round a sample of its law instead of one point per row. Chain 1 is the fit's result and
    /// starts from the same draws as `FittedMIRI.impute` with the fit's seed.
    public var chainRows: Int?

    /// When set, each round's network ends as the exponential moving average of its weights
    /// over the round's Adam steps, with this decay (0.99: about the last 100 steps); nil: its last weights.
    ///
    /// Adam at a constant step size leaves the weights jittering around the optimum; the flow of
    /// the last iterate carries that jitter into the imputations, the average does not.
    public var weightAverageDecay: Float?

    /// When set (λ > 0), a missing entry of a training row whose partner *observes* that coordinate
    /// counts 1 + λ times in the loss (nil: every missing entry once, as SPEC says).
    ///
    /// A round's target for row i's missing x is the partner's x given the partner's observed
    /// values: an observed value when the partner has one, else the partner's current imputation.
    /// So each round only moves the imputations a share (the observed share at those values) of the
    /// way to the conditional law, and under MAR, where x is mostly missing where y is large, the
    /// rounds converge slowly: with 10 rounds the draws' centre stayed at a slope 0.33 on y against
    /// the true 0.5 (setting C, docs/calibration.md). Weighting observed partners makes each round's
    /// target mostly the observed conditional law, which MAR leaves unchanged.
    public var observedPartnerWeight: Float?

    /// When true, each hidden layer is at least as wide as the first power of two that holds the
    /// network's input (3d + 1 values for d columns), at most `maximumTableWidth`; false: `hiddenWidths` as given.
    ///
    /// A fixed 128 squeezes the 385 inputs of a 128-column table through fewer units than it has
    /// inputs; on the sensor-array table (128 smooth functions of 4 factors) one draw's MMD was then
    /// 5× MICE's, with 512 units below it (docs/calibration.md). Tables of up to 42 columns keep
    /// `hiddenWidths`. See `networkWidths(columns:)`.
    public var widensWithTable: Bool

    /// M: the models a fit keeps for drawing (nil or 1: one). The first is the fit on the whole
    /// table (its imputation is the fit's result); each other is the same fit on a bootstrap
    /// resample of the table's rows, with its own seed. Consecutive draw seeds cycle through the
    /// members (`FittedMIRI.member(forDraw:)`), so m draws carry the variation between fits.
    ///
    /// One fitted model's draws leave out that model's own error: its flows have learned one
    /// estimate of the conditional law, and every draw comes from that estimate. On real tables
    /// the 5–95 % range of 20 such draws held the truth 59–75 % of the time (an exact sampler's
    /// 81.5 %), although each draw was as wide as the law's spread would suggest; fits on
    /// bootstrap resamples differ from each other by about the error one fit makes, and drawing
    /// across them restores the coverage (docs/calibration.md). `impute` fits the first member only.
    public var members: Int?

    /// The most members a fit keeps.
    public static let maximumMembers = 64

    /// The widest hidden layer `widensWithTable` asks for, however wide the table.
    public static let maximumTableWidth = 1024

    /// The most imputations `chainRows` asks for, whatever the table's size.
    public static let maximumChains = 16

    /// Every knob by name; the optional ones default to SPEC's choices (see each property).
    public init(rounds: Int, epochs: Int, stepsPerRound: Int? = nil, batchSize: Int, odeSteps: Int, hiddenWidths: [Int],
                learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                seed: UInt64 = 0, odeBlockRows: Int = 1024, freshPartnersEachEpoch: Bool = true,
                clampToObservedRange: Bool = true, warmStart: Bool = false, chainRows: Int? = nil,
                weightAverageDecay: Float? = nil, odeSolver: ODESolver = .euler, observedPartnerWeight: Float? = nil,
                widensWithTable: Bool = false, members: Int? = nil) {
        self.rounds = rounds
        self.epochs = epochs
        self.stepsPerRound = stepsPerRound
        self.batchSize = batchSize
        self.odeSteps = odeSteps
        self.hiddenWidths = hiddenWidths
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.seed = seed
        self.odeBlockRows = odeBlockRows
        self.freshPartnersEachEpoch = freshPartnersEachEpoch
        self.clampToObservedRange = clampToObservedRange
        self.warmStart = warmStart
        self.chainRows = chainRows
        self.weightAverageDecay = weightAverageDecay
        self.odeSolver = odeSolver
        self.observedPartnerWeight = observedPartnerWeight
        self.widensWithTable = widensWithTable
        self.members = members
    }

    /// Models a fit keeps for drawing (`members`, at least 1).
    public var memberCount: Int { max(members ?? 1, 1) }

    /// The authors' tabular-demo settings (SPEC's table): MLP 3×1001 SiLU, Adam 1e-2,
    /// batch 50, 100 epochs, 100 Euler steps, 10 rounds.
    ///
    /// Faithful, and therefore unstable: the authors' code diverges with it on most shared
    /// tables (see BENCHMARK.md); MIRI stops with an error when that happens.
    public static let paper = MIRIConfiguration(
        rounds: 10, epochs: 100, batchSize: 50, odeSteps: 100,
        hiddenWidths: [1001, 1001, 1001], learningRate: 1e-2, freshPartnersEachEpoch: false,
        clampToObservedRange: false)

    /// The toolkit's previous default, kept to reproduce its figures: stable on every shared table
    /// and far cheaper than `paper`, but its Euler steps make draws too narrow for multiple
    /// imputation (docs/calibration.md); `calibrated` is the default.
    ///
    /// Two hidden layers of 128, Adam 5e-4, batch 128, 600 optimizer steps per round whatever
    /// the table's size, 20 Euler steps, 10 rounds, fresh partners every epoch, imputations
    /// clamped to the observed range (the 16-variant sweep of docs/benchmarks.md); and, from the
    /// diagnosis of why MIRI's imputations were poor (docs/history/preset-issue-10.md): each round
    /// warm-started from the last, the weights averaged over the round (decay 0.99), and
    /// imputations evolved side by side until they hold 8,192 rows, so the flows learn a field
    /// that holds for any noise fill, not just the fit's own. Adam's step is 5e-4 rather than 1e-3
    /// since warm starts carry training over the rounds: the ablation sweep over the fourteen
    /// tables (docs/benchmarks.md) found 1e-3 drifting past a noise fill on pumadyn32nm.
    public static let fast = MIRIConfiguration(
        rounds: 10, epochs: 50, stepsPerRound: 600, batchSize: 128, odeSteps: 20,
        hiddenWidths: [128, 128], learningRate: 5e-4, warmStart: true, chainRows: 8192, weightAverageDecay: 0.99)

    /// The toolkit's default: `fast` with draws of the right width, for multiple imputation
    /// (docs/calibration.md), and a network as wide as the table's input.
    ///
    /// The midpoint rule with 10 steps (the network cost of `fast`'s 20 Euler steps) keeps the
    /// draws' spread where Euler narrows it round after round; observed partners weighted 1 + 3 in
    /// the loss let the rounds reach the conditional law under MAR; hidden layers widen with the
    /// table (`widensWithTable`: 256 on digits, 512 on the 128-column sensor table, 128 up to 42
    /// columns). On setting A of the inference benchmark the draws' variance is 0.48 (truth 0.5;
    /// `fast`: 0.38).
    public static let calibrated: MIRIConfiguration = {
        var c = MIRIConfiguration.fast
        c.odeSolver = .midpoint
        c.odeSteps = 10
        c.observedPartnerWeight = 3
        c.widensWithTable = true
        c.members = 4
        return c
    }()

    /// The layer widths of each round's network on a table of `d` columns: the input 3d + 1,
    /// `hiddenWidths(columns:)`, the output d.
    public func networkWidths(columns d: Int) -> [Int] {
        [3 * d + 1] + hiddenWidths(columns: d) + [d]
    }

    /// The hidden layers a table of `d` columns gets: `hiddenWidths`, each widened to the first
    /// power of two holding the input 3d + 1 (at most `maximumTableWidth`) when `widensWithTable`.
    public func hiddenWidths(columns d: Int) -> [Int] {
        guard widensWithTable else { return hiddenWidths }
        let input = 3 * max(d, 0) + 1
        var floor = 1
        while floor < input && floor < Self.maximumTableWidth { floor *= 2 }
        return hiddenWidths.map { max($0, floor) }
    }

    /// Epochs a round runs on a table of `rows` rows (an epoch passes over every row of every
    /// imputation evolved side by side, `chains(forRows:)` of them).
    public func epochs(forRows rows: Int) -> Int {
        guard let steps = stepsPerRound else { return epochs }
        let trainingRows = rows * chains(forRows: rows)
        let batchesPerEpoch = (trainingRows + batchSize - 1) / max(batchSize, 1)
        return max(1, (steps + batchesPerEpoch - 1) / max(batchesPerEpoch, 1))
    }

    /// Imputations the rounds evolve side by side on a table of `rows` rows (see `chainRows`).
    public func chains(forRows rows: Int) -> Int {
        guard let target = chainRows, rows > 0 else { return 1 }
        return min(Self.maximumChains, max(1, (target + rows - 1) / rows))
    }

    /// Checks the knobs; returns a message naming the first bad one.
    public func validationError() -> String? {
        if rounds < 1 { return "rounds must be at least 1 (got \(rounds))" }
        if epochs < 1 { return "epochs must be at least 1 (got \(epochs))" }
        if let s = stepsPerRound, s < 1 { return "steps per round must be at least 1 (got \(s))" }
        if batchSize < 1 { return "batch size must be at least 1 (got \(batchSize))" }
        if odeSteps < 1 { return "ODE steps must be at least 1 (got \(odeSteps))" }
        if hiddenWidths.isEmpty || hiddenWidths.contains(where: { $0 < 1 }) {
            return "hidden widths must be one or more positive integers (got \(hiddenWidths))"
        }
        if !(learningRate > 0) || !learningRate.isFinite { return "learning rate must be positive (got \(learningRate))" }
        if odeBlockRows < 1 { return "ODE block rows must be at least 1" }
        if let c = chainRows, c < 1 { return "chain rows must be at least 1 (got \(c))" }
        if let a = weightAverageDecay, !(a >= 0 && a < 1) { return "weight average decay must be in [0, 1) (got \(a))" }
        if let w = observedPartnerWeight, !(w >= 0 && w <= 1000) { return "observed partner weight must be in [0, 1000] (got \(w))" }
        if let m = members, !(1...Self.maximumMembers).contains(m) { return "members must be between 1 and \(Self.maximumMembers) (got \(m))" }
        return nil
    }
}

extension MIRIConfiguration {
    /// Decodes the JSON a model or checkpoint file stores. A field added after a file was
    /// written takes the value that reproduces how that file's model was trained.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rounds: try c.decode(Int.self, forKey: .rounds),
                  epochs: try c.decode(Int.self, forKey: .epochs),
                  stepsPerRound: try c.decodeIfPresent(Int.self, forKey: .stepsPerRound),
                  batchSize: try c.decode(Int.self, forKey: .batchSize),
                  odeSteps: try c.decode(Int.self, forKey: .odeSteps),
                  hiddenWidths: try c.decode([Int].self, forKey: .hiddenWidths),
                  learningRate: try c.decode(Float.self, forKey: .learningRate),
                  beta1: try c.decode(Float.self, forKey: .beta1),
                  beta2: try c.decode(Float.self, forKey: .beta2),
                  epsilon: try c.decode(Float.self, forKey: .epsilon),
                  seed: try c.decode(UInt64.self, forKey: .seed),
                  odeBlockRows: try c.decode(Int.self, forKey: .odeBlockRows),
                  freshPartnersEachEpoch: try c.decode(Bool.self, forKey: .freshPartnersEachEpoch),
                  clampToObservedRange: try c.decode(Bool.self, forKey: .clampToObservedRange),
                  warmStart: try c.decodeIfPresent(Bool.self, forKey: .warmStart) ?? false,
                  chainRows: try c.decodeIfPresent(Int.self, forKey: .chainRows),
                  weightAverageDecay: try c.decodeIfPresent(Float.self, forKey: .weightAverageDecay),
                  odeSolver: try c.decodeIfPresent(ODESolver.self, forKey: .odeSolver) ?? .euler,
                  observedPartnerWeight: try c.decodeIfPresent(Float.self, forKey: .observedPartnerWeight),
                  widensWithTable: try c.decodeIfPresent(Bool.self, forKey: .widensWithTable) ?? false,
                  members: try c.decodeIfPresent(Int.self, forKey: .members))
    }
}

extension MIRIConfiguration {
    /// The optimizer settings of each round's trainer.
    package var optimizer: AdamSettings {
        AdamSettings(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, averageDecay: weightAverageDecay)
    }
}
