import Evaluation
import Flow
import Foundation
import Imputation
import Linalg

/// Multiple-imputation scores of MIRI (or MICE, `evaluateMICE`) on one benchmark case
/// (../shared/BENCHMARK.md): fit once, draw `m` completed tables (draw k from seed `seed + k − 1`,
/// so MIRI's draw 1 is the fit's own imputation), and score
/// - RMSE, MAE, MMD and W1 of the mean of the first m′ draws, for each m′ in `averages` (m′ = 1
///   is a single draw);
/// - CRPS and the 90 % interval coverage of all m draws (BENCHMARK.md's definitions; for a
///   point imputer CRPS equals MAE, so `meanImputerMAE` is the reference a sampler must beat);
/// - the speed of applying the fitted model (one draw = a noise fill and the K flows), in rows
///   per second: `miri apply`'s work without the CSV.
///
/// Usable from `miri-bench quality` for a `--draws m` column as well as from `miri-bench draws`.
struct DrawsScore {
    struct Point {
        var draws: Int
        var rmse: Double
        var mae: Double
        var mmd: Double
        var w1: Double
    }

    var dataset: String
    var seed: UInt64
    /// One entry per requested average size, in the order asked.
    var points: [Point]
    var crps: Double
    var coverage90: Double
    var draws: Int
    var meanImputerMAE: Double
    /// Mean imputation's RMSE on the same entries (the reference of inductive use).
    var meanImputerRMSE: Double
    var fitSeconds: Double
    /// Seconds per draw (noise fill + K ODEs over the whole table).
    var secondsPerDraw: Double
    var applyRowsPerSecond: Double

    /// With `holdout` f, inductive use instead: the model (and the mean imputer, its reference) is
    /// fitted on the first n − ⌊f·n⌋ rows and everything is scored on the last ⌊f·n⌋ rows, which
    /// the fit never saw.
    static func evaluate(_ full: ProtocolCase, configuration: MIRIConfiguration, draws m: Int, averages: [Int],
                         holdout: Double? = nil, compute: ComputeContext) throws -> DrawsScore {
        precondition(m >= 1 && averages.allSatisfy { $0 >= 1 && $0 <= m })
        var training = full.masked, c = full
        if let holdout {
            let n = full.truth.rows, held = Int(holdout * Double(n)), kept = n - held
            precondition(held >= 1 && kept >= 2, "the holdout must leave rows on both sides")
            training = full.masked.rows(0..<kept)
            c.truth = full.truth.rows(kept..<n)
            c.observed = full.observed.rows(kept..<n)
            c.masked = full.masked.rows(kept..<n)
        }
        let (model, fitSeconds) = try timed {
            try ImputationMethod.Settings(seed: full.seed, compute: compute, miri: configuration).miriImputer().fit(training)
        }
        let (tables, drawSeconds) = try timed { try model.draws(c.masked, count: m, seed: c.seed) }
        return try score(c, tables: tables, averages: averages, fitSeconds: fitSeconds, drawSeconds: drawSeconds,
                         meanSource: training, compute: compute)
    }

    /// The same scores for MICE as `miri apply` draws from a fitted MICE model: fit once (point
    /// imputation), then m replays of its regressions, each entry drawn from the posterior
    /// predictive, draw k from seed `seed + k − 1`.
    static func evaluateMICE(_ c: ProtocolCase, draws m: Int, averages: [Int], compute: ComputeContext) throws -> DrawsScore {
        precondition(m >= 1 && averages.allSatisfy { $0 >= 1 && $0 <= m })
        let (fit, fitSeconds) = try timed { try ImputationMethod.Settings(seed: c.seed, compute: compute).miceImputer().fit(c.masked) }
        var randoms = MultipleDraws.generators(count: m, seed: c.seed)
        let (tables, drawSeconds) = try timed { try fit.draws(c.masked, randoms: &randoms) }
        return try score(c, tables: tables, averages: averages, fitSeconds: fitSeconds, drawSeconds: drawSeconds,
                         meanSource: c.masked, compute: compute)
    }

    /// `meanSource`: the table whose column means are the mean imputer's (the fit's rows).
    private static func score(_ c: ProtocolCase, tables: [Matrix], averages: [Int], fitSeconds: Double, drawSeconds: Double,
                              meanSource: Matrix, compute: ComputeContext) throws -> DrawsScore {
        let m = tables.count
        let points = averages.map { k -> Point in
            let mean = k == 1 ? tables[0] : FittedMIRI.mean(of: Array(tables.prefix(k)), over: c.masked)
            return Point(draws: k,
                         rmse: Metrics.rmse(imputed: mean, truth: c.truth, observed: c.observed),
                         mae: Metrics.mae(imputed: mean, truth: c.truth, observed: c.observed),
                         mmd: Metrics.mmd(imputed: mean, truth: c.truth),
                         w1: Metrics.wasserstein1(imputed: mean, truth: c.truth))
        }
        let meanImputed = try MeanImputer(compute: compute).fit(meanSource).transform(c.masked).imputed
        let perDraw = drawSeconds / Double(m)
        return DrawsScore(dataset: c.dataset, seed: c.seed, points: points,
                          crps: Metrics.crps(draws: tables, truth: c.truth, observed: c.observed),
                          coverage90: Metrics.coverage90(draws: tables, truth: c.truth, observed: c.observed),
                          draws: m,
                          meanImputerMAE: Metrics.mae(imputed: meanImputed, truth: c.truth, observed: c.observed),
                          meanImputerRMSE: Metrics.rmse(imputed: meanImputed, truth: c.truth, observed: c.observed),
                          fitSeconds: fitSeconds, secondsPerDraw: perDraw,
                          applyRowsPerSecond: Double(c.truth.rows) / perDraw)
    }
}
