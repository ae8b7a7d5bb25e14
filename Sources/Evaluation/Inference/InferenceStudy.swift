import Foundation
import Imputation
import Linalg

/// Repeated simulations of one setting for one way of drawing imputations, scored with van
/// Buuren's criteria (*Flexible Imputation of Missing Data*, §2.5.2): raw and percent bias of the
/// pooled estimate, coverage of its nominal 95 % interval (Rubin's rules, Barnard–Rubin df) with
/// the Monte-Carlo standard error √(CR(1 − CR)/n_sim), the interval's average width, and the share
/// of missing cells whose true value lies in the 5–95 % range of their draws.
///
/// Simulation s draws its table and mask from seed `seed + s` and hands the same number to the
/// imputer as its seed, so every method sees the same tables. The m values of `draws` use the
/// first m of the largest set of draws (draw k is seeded the same whatever m).
public struct InferenceStudy: Sendable {
    public var setting: InferenceSetting
    public var rows: Int
    public var simulations: Int
    /// The numbers of imputations pooled, each ≥ 2 (5 and 20 in the issue).
    public var draws: [Int]
    public var seed: UInt64
    /// The estimands' true values, in `setting.estimands` order.
    public var truths: [Double]

    public init(setting: InferenceSetting, rows: Int? = nil, simulations: Int, draws: [Int] = [5, 20], seed: UInt64 = 1,
                truths: [Double]? = nil) {
        precondition(simulations >= 1 && !draws.isEmpty && draws.allSatisfy { $0 >= 2 }, "simulations ≥ 1 and m ≥ 2")
        self.setting = setting
        self.rows = rows ?? setting.defaultRows
        self.simulations = simulations
        self.draws = draws.sorted()
        self.seed = seed
        self.truths = truths ?? setting.estimands.map(\.closedForm)
    }

    /// m completed tables of a masked table: (masked, seed, m) → m tables.
    public typealias DrawSource = (Matrix, UInt64, Int) throws -> [Matrix]

    /// The draws of an imputation method: fit on the masked table (seeded with the simulation's
    /// seed), then `FittedImputer.draws`, draw k from seed + k − 1 (as `miri apply --draws`).
    public static func drawSource(_ method: ImputationMethod, settings: ImputationMethod.Settings = .init()) -> DrawSource {
        { masked, seed, m in
            var settings = settings
            settings.seed = seed
            let model = try method.makeImputer(settings).fit(masked)
            var randoms = MultipleDraws.generators(count: m, seed: seed)
            return try model.draws(masked, randoms: &randoms, shouldStop: nil)
        }
    }

    /// MIRI with the model varied between draws: draw k fits its own model on a bootstrap resample
    /// of the table's rows (n rows with replacement, seeded by the draw), then completes the whole
    /// table with it. m fits per table instead of one: the check of whether the fitted model's own
    /// error, which draws from one model never carry, is what Rubin's intervals lack.
    public static func bootstrapMIRISource(configuration: MIRIConfiguration, compute: ComputeContext = .default) -> DrawSource {
        { masked, seed, m in
            try (1...m).map { k in
                let drawSeed = FittedMIRI.drawSeed(seed, draw: k)
                var random = RandomSource(seed: drawSeed ^ 0xB007_57A9_0000_0000)
                let picks = (0..<masked.rows).map { _ in random.index(below: masked.rows) }
                let resample = Matrix(rows: masked.rows, cols: masked.cols,
                                      storage: picks.flatMap { masked.row($0) })
                var c = configuration
                c.seed = drawSeed
                let model = try MIRIImputer(configuration: c, compute: compute).fit(resample)
                return try model.transform(masked, seed: drawSeed).imputed
            }
        }
    }

    /// MICE's earlier draws: one deterministic fit, its regressions replayed with a
    /// posterior-predictive draw per entry (`FittedMICE.replayedDraw`). For comparison only.
    public static func replayedMICESource(compute: ComputeContext = .default) -> DrawSource {
        { masked, seed, m in
            let model = try MICEImputer(configuration: MICEConfiguration(seed: seed), compute: compute).fit(masked)
            return try (1...m).map { k in
                var random = RandomSource(seed: FittedMIRI.drawSeed(seed, draw: k))
                return try model.replayedDraw(masked, random: &random)
            }
        }
    }

    /// scikit-learn's `IterativeImputer(sample_posterior=True)` chains (each entry from the
    /// predictive law, the regression fixed): `FittedMICE.sampledChain` without parameter draws.
    public static func chainMICESource(compute: ComputeContext = .default) -> DrawSource {
        { masked, seed, m in
            let model = try MICEImputer(configuration: MICEConfiguration(seed: seed), compute: compute).fit(masked)
            return try (1...m).map { k in
                var random = RandomSource(seed: FittedMIRI.drawSeed(seed, draw: k))
                return try model.complete(masked, shouldStop: nil) { _ in
                    try model.sampledChain(masked, random: &random, drawingParameters: false)
                }.imputed
            }
        }
    }

    /// The exact conditional sampler's draws (`ExactConditionalSampler`).
    public func exactSource() -> DrawSource {
        let setting = self.setting
        return { masked, seed, m in
            var random = RandomSource(seed: seed ^ 0x5EED_E8AC_7000_0000)
            return (0..<m).map { _ in ExactConditionalSampler.draw(masked, setting: setting, random: &random) }
        }
    }

    /// Runs every simulation with `source`; `progress` is called after each.
    public func run(method: String, source: DrawSource, progress: ((Int) -> Void)? = nil) throws -> InferenceResult {
        let estimands = setting.estimands
        let mMax = draws.last!
        // per m and estimand: hits, widths, standard errors, estimates
        var hits = [[Double]](repeating: [Double](repeating: 0, count: estimands.count), count: draws.count)
        var widths = hits, standardErrors = hits
        var estimates = [[[Double]]](repeating: [[Double]](repeating: [], count: estimands.count), count: draws.count)
        var pooledCount = [Int](repeating: 0, count: draws.count)
        var cellCoverage = 0.0
        for s in 0..<simulations {
            let simulationSeed = seed &+ UInt64(s)
            var random = RandomSource(seed: simulationSeed)
            let (complete, masked) = setting.simulate(rows: rows, random: &random)
            let tables = try source(masked, simulationSeed, mMax)
            let observed = Matrix(rows: masked.rows, cols: masked.cols, storage: masked.storage.map { $0.isNaN ? 0 : 1 })
            cellCoverage += Metrics.coverage90(draws: tables, truth: complete, observed: observed)
            for (index, m) in draws.enumerated() {
                let used = Array(tables.prefix(m))
                guard let pooled = try? estimands.map({ e in
                    try MultipleImputation.pool(used, estimand: e.estimand)[e.term]
                }) else { continue }
                pooledCount[index] += 1
                for (e, p) in pooled.enumerated() {
                    estimates[index][e].append(p.estimate)
                    standardErrors[index][e] += p.standardError
                    widths[index][e] += p.upper - p.lower
                    if p.lower <= truths[e] && truths[e] <= p.upper { hits[index][e] += 1 }
                }
            }
            progress?(s + 1)
        }
        var rowsOut: [InferenceResult.Row] = []
        for (index, m) in draws.enumerated() {
            let n = Double(pooledCount[index])
            for (e, estimand) in estimands.enumerated() {
                let mean = n > 0 ? estimates[index][e].reduce(0, +) / n : 0, cr = n > 0 ? hits[index][e] / n : 0
                let bias = mean - truths[e]
                let spread = estimates[index][e].reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                rowsOut.append(.init(estimand: estimand.name, draws: m, truth: truths[e], meanEstimate: mean, rawBias: bias,
                                     percentBias: estimand.closedForm != 0 ? 100 * abs(bias / truths[e]) : nil,
                                     coverage: cr, coverageSE: n > 0 ? (cr * (1 - cr) / n).squareRoot() : 0,
                                     averageWidth: n > 0 ? widths[index][e] / n : 0,
                                     empiricalSE: n > 1 ? (spread / (n - 1)).squareRoot() : 0,
                                     modelSE: n > 0 ? standardErrors[index][e] / n : 0, pooled: pooledCount[index]))
            }
        }
        return InferenceResult(setting: setting, method: method, rows: rows, simulations: simulations, results: rowsOut,
                               cellCoverage: cellCoverage / Double(simulations), cellCoverageDraws: mMax)
    }
}

/// What `InferenceStudy.run` measured for one method and setting.
public struct InferenceResult: Sendable {
    public struct Row: Sendable {
        public var estimand: String
        /// m.
        public var draws: Int
        public var truth: Double
        /// The mean over simulations of the pooled estimate Q̄.
        public var meanEstimate: Double
        /// RB = E(Q̄) − Q.
        public var rawBias: Double
        /// PB = 100·|RB / Q| (nil when the closed-form Q is 0: the mean of x).
        public var percentBias: Double?
        /// CR: the share of simulations whose interval holds Q.
        public var coverage: Double
        /// √(CR(1 − CR)/n_sim).
        public var coverageSE: Double
        /// AW: the intervals' mean width.
        public var averageWidth: Double
        /// The standard deviation of Q̄ over the simulations: how much the pooled estimate really varies.
        public var empiricalSE: Double
        /// The mean of Rubin's standard error √T: how much the intervals say it varies. Below
        /// `empiricalSE`, the intervals are too narrow for the estimate's own spread (improper
        /// draws); above it, too wide.
        public var modelSE: Double
        /// Simulations pooled (those whose analysis failed, e.g. a singular design, are left out).
        public var pooled: Int
    }

    public var setting: InferenceSetting
    public var method: String
    public var rows: Int
    public var simulations: Int
    public var results: [Row]
    /// The mean over simulations of the share of missing cells inside their draws' 5–95 % range.
    public var cellCoverage: Double
    /// The draws that range is taken over (the largest m).
    public var cellCoverageDraws: Int
}
