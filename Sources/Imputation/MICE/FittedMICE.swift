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
/// Draws (`draw`, `draws`): the same replay, each step drawing its entries from the
/// regression's posterior predictive N(prediction, predictive sd²) (scikit-learn's
/// `sample_posterior=True` in `transform`), one normal per imputed entry in the order of the
/// rounds, steps and rows. Draws of a table split into batches therefore depend on the batch
/// size (the stream is consumed batch by batch); for one batch size and seed they are fixed.
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

    /// One draw from the posterior predictive, from `random` (which advances).
    public func draw(_ data: Matrix, random: inout RandomSource) throws -> Matrix {
        var generator: RandomSource? = random
        defer { if let generator { random = generator } }
        return try replay(data, random: &generator, shouldStop: nil).imputed
    }

    /// One draw per generator, draw k from `randoms[k − 1]`, so a caller imputing a file in row
    /// batches continues every draw's stream across batches. `shouldStop` is polled after each
    /// draw; returning true stops with `MIRIError.cancelled(completedRounds: 0)`.
    public func draws(_ data: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)? = nil) throws -> [Matrix] {
        try randoms.indices.map { k in
            var generator: RandomSource? = randoms[k]
            defer { if let generator { randoms[k] = generator } }
            return try replay(data, random: &generator, shouldStop: shouldStop).imputed
        }
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
