import Flow
import Linalg

/// A fitted MICE model: the column means of the initial fill, the visiting order and every
/// round's regressions, so that rows never seen in the fit can be imputed the way the fit
/// imputed its own (scikit-learn's `IterativeImputer.transform`).
///
/// Applying it fills each missing entry with the stored mean, then replays the rounds: each
/// step overwrites its column's missing entries from its stored regression on the row's other
/// columns. Nothing is refitted, so each row is imputed from itself and the model alone: the
/// result does not depend on the other rows or on how a file is split into batches. Replayed
/// on the table it was fitted on, it reproduces the fit's imputation bit for bit (the fit
/// computes every imputation through the same `MICEChain.fill`).
///
/// Draws (`draw`, `draws`) are proper multiple imputations: each runs its own chain on the table
/// given, from the stored means, for `configuration.rounds` rounds; every step refits the
/// column's regression on that table's current state, draws the regression itself from its
/// posterior (noise variance, weights and intercept: mice's `norm`,
/// `BayesianRidgeModel.posteriorDraw`) and draws each missing entry from it. See
/// `FittedMICE+Chains.swift`. Replaying the stored regressions with noise would not do: those
/// were fitted on a table filled with predictions, so the draws would carry no uncertainty about
/// the regressions and reproduce the point imputation's bias in analyses (coverage about 0.4 for
/// w ~ x + z of `miri-bench inference` setting B). Nor quite does scikit-learn's
/// `sample_posterior=True` chain, which draws each entry from the predictive law with the
/// regression fixed (coverage 0.89–0.95 there). A draw depends on all the rows it is given; a
/// file imputed in row batches (`miri apply`) runs one chain per batch.
///
/// `MICEModelFile` (module ModelStore) saves and loads models.
public struct FittedMICE: FittedImputer {
    /// The settings of the fit; `configuration.seed` is the default seed of draws.
    public var configuration: MICEConfiguration
    /// The initial fill: each column's mean over the training table's observed entries.
    package var means: [Double]
    /// The columns each round visits, in order.
    package var order: [Int]
    /// Each round's regressions, in `order` (empty for a one-column table: mean fill only).
    package var rounds: [[MICEStep]]
    /// Whether the fit stopped on its tolerance before its last round.
    public var converged: Bool
    /// The training table's column names, when it had a header; a table applied must match.
    public var columnNames: [String]?
    /// Threads of the work.
    public var compute: ComputeContext
    /// The training table's column kinds (see `FittedSchema`); nil for a table of numbers.
    public var schema: FittedSchema? = nil

    package init(configuration: MICEConfiguration, means: [Double], order: [Int], rounds: [[MICEStep]],
                 converged: Bool, columnNames: [String]? = nil, compute: ComputeContext = .default) {
        precondition(rounds.allSatisfy { $0.map(\.column) == order }, "every round visits the columns in order")
        precondition(columnNames.map { $0.count == means.count } ?? true, "one name per column")
        self.configuration = configuration
        self.means = means
        self.order = order
        self.rounds = rounds
        self.converged = converged
        self.columnNames = columnNames
        self.compute = compute
    }

    /// Columns the model was fitted on.
    public var columns: Int { means.count }
    /// Rounds the fit ran (at most `configuration.rounds`).
    public var roundsRun: Int { rounds.count }

    /// The fit's seed: the default seed of draws.
    public var defaultSeed: UInt64 { configuration.seed }
    /// Each row is imputed from itself and the model alone.
    public var batchRowMultiple: Int { 1 }
    /// "mice: R rounds" (", k nearest features" when each regression reads k columns only).
    public var summary: String { "mice: \(roundsRun) rounds" + (nearestFeatures.map { ", \($0) nearest features" } ?? "") }
    /// The features each regression reads when limited (`MICEConfiguration.nearestFeatures`), else nil.
    public var nearestFeatures: Int? { rounds.first?.first?.features?.count }

    /// The point imputation of `data`'s NaN entries (the regressions' predictions); `random` is
    /// not used. Observed entries come back bit for bit.
    public func transform(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> ImputationResult {
        var none: RandomSource?
        return try replay(data, random: &none, shouldStop: shouldStop)
    }

    /// One proper draw (a chain drawing every step's regression and entries, `sampledChain`), from `random` (which advances).
    public func draw(_ data: Matrix, random: inout RandomSource) throws -> Matrix {
        try complete(data, shouldStop: nil) { _ in try sampledChain(data, random: &random, drawingParameters: true) }.imputed
    }

    /// One proper draw per generator, draw k from `randoms[k − 1]` (each advances). `shouldStop`
    /// is polled after each draw; returning true stops with `ImputationError.cancelled(completedRounds: 0)`.
    public func draws(_ data: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)? = nil) throws -> [Matrix] {
        try randoms.indices.map { k in
            try complete(data, shouldStop: shouldStop) { _ in try sampledChain(data, random: &randoms[k], drawingParameters: true) }.imputed
        }
    }

    /// The earlier draws (one fit, its regressions replayed), kept to measure what they got wrong (`miri-bench inference
    /// --methods mice-replay`): the stored regressions replayed with a posterior-predictive draw
    /// per entry, no refit. Not proper: they ignore the regressions' uncertainty.
    package func replayedDraw(_ data: Matrix, random: inout RandomSource) throws -> Matrix {
        var generator: RandomSource? = random
        defer { if let generator { random = generator } }
        return try replay(data, random: &generator, shouldStop: nil).imputed
    }

    private func replay(_ data: Matrix, random: inout RandomSource?, shouldStop: (() -> Bool)?) throws -> ImputationResult {
        try complete(data, shouldStop: shouldStop) { _ in
            let chain = MICEChain(data, fill: means)
            for steps in rounds {
                for step in steps where !chain.missingRows[step.column].isEmpty {
                    chain.fill(step.column, model: step.model, features: step.features, random: &random)
                }
            }
            return try chain.completed(data)
        }
    }
}
