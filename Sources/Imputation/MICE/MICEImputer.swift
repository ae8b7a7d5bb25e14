import Linalg

/// The settings of chained-equation imputation, scikit-learn's `IterativeImputer` defaults.
public struct MICEConfiguration: Sendable, Equatable, Codable {
    /// Rounds at most (scikit-learn's `max_iter`, default 10). A round regresses every visited
    /// column once, in order.
    public var rounds = 10
    /// Early stop (point imputation only): after a round, stop when
    /// max over rows of Σ over columns |X_t − X_{t−1}| < tolerance · max |observed value|
    /// (scikit-learn's `tol`, default 1e-3, and its rule).
    public var tolerance = 1e-3
    /// Draw each imputation from the regression's posterior predictive instead of taking its
    /// mean (scikit-learn's `sample_posterior`); then every round runs, as there.
    public var samplePosterior = false
    /// Seeds the draws of `samplePosterior` (and is a fitted model's default seed for draws).
    public var seed: UInt64 = 0
    /// The regression of every step (scikit-learn's `BayesianRidge()` defaults).
    package var ridge = BayesianRidge()
    /// Regress each column on at most this many others (scikit-learn's `n_nearest_features`,
    /// see `MICENeighbours`); nil: automatic, every other column up to `automaticWidth` columns
    /// and `automaticNearestFeatures` past it, so that a wide table costs about d rather than d⁴
    /// per round. A value of d − 1 or more means every other column.
    public var nearestFeatures: Int? = nil
    /// Tables of more columns than this (encoded columns: one per category) get the automatic limit.
    public static let automaticWidth = 100
    /// The automatic limit of wide tables.
    public static let automaticNearestFeatures = 32

    /// The features per regression on a table of `d` columns, or nil for every other column.
    public func neighbourLimit(columns d: Int) -> Int? {
        guard let k = nearestFeatures ?? (d > Self.automaticWidth ? Self.automaticNearestFeatures : nil), k < d - 1 else { return nil }
        return k
    }

    /// scikit-learn's `IterativeImputer` defaults unless given.
    public init(rounds: Int = 10, tolerance: Double = 1e-3, samplePosterior: Bool = false, seed: UInt64 = 0, nearestFeatures: Int? = nil) {
        self.nearestFeatures = nearestFeatures
        self.rounds = rounds
        self.tolerance = tolerance
        self.samplePosterior = samplePosterior
        self.seed = seed
    }

    /// Why these settings cannot run, or nil.
    public func validationError() -> String? {
        if rounds < 1 { return "MICE needs at least 1 round (got \(rounds))" }
        if let k = nearestFeatures, k < 1 { return "MICE's nearest features must be at least 1 (got \(k))" }
        if !(tolerance >= 0 && tolerance.isFinite) { return "MICE's tolerance must be a finite number ≥ 0 (got \(tolerance))" }
        if ridge.maxIterations < 1 { return "Bayesian ridge needs at least 1 iteration (got \(ridge.maxIterations))" }
        if !(ridge.tolerance > 0 && ridge.tolerance.isFinite) { return "Bayesian ridge's tolerance must be a finite number > 0" }
        let priors = [ridge.alpha1, ridge.alpha2, ridge.lambda1, ridge.lambda2]
        if priors.contains(where: { !($0 >= 0 && $0.isFinite) }) { return "Bayesian ridge's hyperpriors must be finite numbers ≥ 0" }
        return nil
    }
}

/// Multiple imputation by chained equations, as scikit-learn's
/// `IterativeImputer(max_iter=10, random_state=…)` with its defaults.
///
///     let result = try MICEImputer().impute(table)          // table: NaN marks missing
///
/// 1. Fill every missing entry with its column's mean over the observed entries.
/// 2. Visit the columns that have missing entries, fewest missing first (ties by index). For each:
///    fit a Bayesian ridge regression (`BayesianRidge`: evidence maximisation of both
///    precisions, intercept from centring) of the column on all other columns, over the rows
///    that observe it, on the table as it stands; overwrite its missing entries with the
///    regression's prediction (or, with `samplePosterior`, a draw from N(prediction, predictive sd²)).
/// 3. Repeat for `rounds` rounds, stopping early once a round changes the table by less than
///    `tolerance` · max |observed| (see `MICEConfiguration.tolerance`; never when sampling).
///
/// Works on the values as given (no internal standardization), in Double; imputations are
/// not clipped (scikit-learn's defaults are min_value = −∞, max_value = ∞). A one-column table
/// gets the mean fill only, as in scikit-learn. Observed entries come back bit for bit.
///
/// Each regression forms the Gram matrix of the training rows with one dsyrk, decomposes it
/// with LAPACKE_dsyev for the evidence updates, and solves the normal equations by Cholesky
/// (LAPACKE_dpotrf/dpotrs); see `BayesianRidge` for the ill-conditioned case.
public struct MICEImputer: Imputer {
    /// Rounds, tolerance, ridge priors, posterior sampling and seed.
    public var configuration: MICEConfiguration
    /// Threads of the Gram matrices (OpenBLAS on one thread under the default context).
    public var compute: ComputeContext
    /// "mice".
    public var name: String { "mice" }
    /// Called after each round with (round, rounds at most): `miri`'s progress lines.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Polled after each round; returning true stops the run with a cancellation error.
    public var shouldStop: (@Sendable () -> Bool)?

    /// A MICE imputer with these settings (scikit-learn's `IterativeImputer` defaults when none given).
    public init(configuration: MICEConfiguration = MICEConfiguration(), compute: ComputeContext = .default) {
        precondition(configuration.validationError() == nil, configuration.validationError() ?? "")
        self.configuration = configuration
        self.compute = compute
    }

    /// Imputes `data` (regressing only the columns that miss entries, as scikit-learn does);
    /// equal, bit for bit, to `fit(data).transform(data)`.
    public func impute(_ data: Matrix) throws -> ImputationResult {
        let (imputed, _, missing) = try compute.run { try run(data, recording: false) }
        return ImputationResult(imputed: imputed, imputedCount: missing)
    }

    /// Every round's regressions, so the model can impute other rows (`FittedMICE`).
    public func fit(_ data: Matrix) throws -> FittedMICE {
        try fitAndImpute(data).model
    }

    /// Imputes `data` and keeps every round's regressions (`FittedMICE`). Unlike `impute`, every
    /// column is regressed each round, the complete ones too (scikit-learn's `skip_complete=False`):
    /// a column complete here may be missing in the rows the model is applied to. The imputed
    /// table is `impute`'s, bit for bit.
    public func fitAndImpute(_ data: Matrix) throws -> (model: FittedMICE, imputed: Matrix) {
        let (imputed, model, _) = try compute.run { try run(data, recording: true) }
        guard let model else { preconditionFailure("a recording run returns its model") }
        return (model, imputed)
    }

    private func run(_ data: Matrix, recording: Bool) throws -> (imputed: Matrix, model: FittedMICE?, missing: Int) {
        let pattern = try MissingPattern(validating: data)
        let means = Standardization(fitting: data).means
        let chain = MICEChain(data, fill: means)
        let order = MICEChain.ascendingOrder(missingCounts: chain.missingRows.map(\.count), includingComplete: recording)
        var rounds: [[MICEStep]] = []
        var converged = false
        let runsRounds = data.cols > 1 && (recording || pattern.missingCount > 0)
        if runsRounds {
            var random: RandomSource? = configuration.samplePosterior ? RandomSource(seed: configuration.seed) : nil
            let threshold = configuration.tolerance * data.storage.reduce(0) { $1.isNaN ? $0 : max($0, Double(abs($1))) }
            var previous = chain.x
            let neighbours = configuration.neighbourLimit(columns: data.cols).map {
                MICENeighbours(chain.x, rows: data.rows, cols: data.cols, limit: $0, seed: configuration.seed)
            }
            for round in 1...configuration.rounds {
                var steps: [MICEStep] = []
                for j in order {
                    let features = neighbours?.draw(for: j, round: round)
                    let model = chain.regress(j, features: features, ridge: configuration.ridge,
                                              posterior: recording || configuration.samplePosterior)
                    chain.fill(j, model: model, features: features, random: &random)
                    if recording { steps.append(MICEStep(column: j, model: model, features: features)) }
                }
                rounds.append(steps)
                progress?(round, configuration.rounds)
                if shouldStop?() == true { throw ImputationError.cancelled(completedRounds: round) }
                if configuration.samplePosterior { continue }
                if chain.change(since: previous) < threshold { converged = true; break }
                previous = chain.x
            }
        }
        let imputed = try chain.completed(data)
        let model = recording
            ? FittedMICE(configuration: configuration, means: means, order: order, rounds: runsRounds ? rounds : [],
                         converged: converged, compute: compute)
            : nil
        return (imputed, model, pattern.missingCount)
    }
}
