import Evaluation
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg

/// The imputers the quality benchmark knows.
enum BenchMethod: String, CaseIterable {
    case mean, knn, miri
    /// Chained equations with Bayesian ridge, scikit-learn's `IterativeImputer` defaults (`MICEImputer`).
    case mice
    /// Every missing entry an independent N(0, 1) draw on the benchmark scale: MIRI's starting
    /// point and BENCHMARK.md's "noise" reference. Not a real imputer; for calibration.
    case noise
}

/// One benchmark case: a table standardized as the protocol says, masked with one mechanism and seed.
struct ProtocolCase {
    var dataset: String
    var seed: UInt64
    var mechanism: MissingnessMechanism
    /// The rate asked for (`--missing-rate`); the realized share is `missingCount / truth.count`.
    var missingRate: Double
    /// The complete table on the benchmark scale: each column minus its full-data mean, divided by
    /// its full-data population std (std 0 → 1).
    var truth: Matrix
    /// 1 observed, 0 missing: BENCHMARK.md's mask for the mechanism (`MissingnessMechanism`).
    var observed: Matrix
    /// `truth` with NaN where `observed` is 0: what the imputers get.
    var masked: Matrix
    var missingCount: Int

    /// Standardizes `raw` with its own full-data statistics, then masks it MCAR.
    init(dataset: String, raw: Matrix, seed: UInt64, missingRate: Double) {
        self.init(dataset: dataset, standardized: Standardization(fitting: raw).apply(raw), raw: raw.storage.map(Double.init),
                  mechanism: .mcar, seed: seed, missingRate: missingRate)
    }

    /// Masks a table already on the benchmark scale. `raw` is the same table on its own scale in
    /// Double (`BenchTable.exact`): the logistic mechanisms score it as masks.py does.
    init(dataset: String, standardized truth: Matrix, raw: [Double], mechanism: MissingnessMechanism, seed: UInt64,
         missingRate: Double) {
        self.dataset = dataset
        self.seed = seed
        self.mechanism = mechanism
        self.missingRate = missingRate
        self.truth = truth
        observed = mechanism.observed(complete: raw, rows: truth.rows, cols: truth.cols, rate: missingRate, seed: seed)
        masked = MCARMask.apply(truth, observed: observed)
        missingCount = observed.storage.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
    }
}

/// One (dataset, method, seed) result: a row of results.json / results.csv.
struct QualityRow {
    var dataset: String
    var method: String
    var seed: UInt64
    var rmse = Double.nan
    var mae = Double.nan
    var mmd = Double.nan
    var w1 = Double.nan
    var seconds = Double.nan
    /// "ok", "diverged" or "failed".
    var status = "ok"
    var note = ""
    var rows = 0
    var cols = 0
    var missing = 0
    /// The mechanism and the rate asked for; `missingRate` is the share that went missing.
    var mechanism = MissingnessMechanism.mcar.rawValue
    var rate = 0.4
    var threads = 1
    /// MIRI's preset name (empty for the other methods).
    var preset = ""
    /// The largest |imputed − truth| over the missing entries: flags a few wild imputations that
    /// RMSE only hints at (the authors' code once put one at ±409 standard deviations).
    var maxAbsError = Double.nan
    /// MINE estimate of I(imputed table; mask) when `--per-round` is on (NaN otherwise).
    var mutualInformation = Double.nan
    /// Seconds the per-round monitoring took inside the imputation call (already left out of `seconds`).
    var monitorSeconds = 0.0
    /// With `--draws m`: CRPS over the missing entries (MIRI: of m draws; a point imputer: its MAE)
    /// and, for MIRI, the share of true values inside the draws' 5–95 % range (NaN otherwise).
    var crps = Double.nan
    var coverage90 = Double.nan
    /// Mean (imputed − truth) over the missing entries (`Metrics.bias`).
    var bias = Double.nan
    /// `Metrics.nearestNeighbourRatio`; NaN when it is undefined (no complete row), with a note.
    var nnRatio = Double.nan

    var succeeded: Bool { status == "ok" }
    /// The realized missing rate: missing entries over all entries.
    var missingRate: Double { rows * cols > 0 ? Double(missing) / Double(rows * cols) : .nan }
}

/// MIRI's per-round diagnostics for one case (round 0 is the noise fill MIRI starts from).
struct RoundRecord {
    var dataset: String
    var seed: UInt64
    var round: Int
    var meanLoss = Double.nan
    var trainingSeconds = Double.nan
    var odeSeconds = Double.nan
    var rmse: Double
    var mmd: Double
    var w1: Double
    var mutualInformation: Double
}

/// Runs one method on one case and scores it (BENCHMARK.md, "Metrics").
struct QualityRunner {
    var configuration: MIRIConfiguration
    var presetName: String
    var threads: Int
    /// MINE settings for `--per-round`; nil switches the per-round diagnostics off.
    var monitor: MINEEstimator?
    /// Where per-round lines go as they happen (stdout in the command).
    var report: (String) -> Void = { emit($0) }

    /// Threads of every imputer.
    var compute: ComputeContext { ComputeContext(threads: threads) }

    func run(_ method: BenchMethod, on c: ProtocolCase) -> (QualityRow, [RoundRecord]) {
        var row = QualityRow(dataset: c.dataset, method: method.rawValue, seed: c.seed,
                             rows: c.truth.rows, cols: c.truth.cols, missing: c.missingCount,
                             mechanism: c.mechanism.rawValue, rate: c.missingRate, threads: threads)
        var rounds: [RoundRecord] = []
        let imputed: Matrix
        do {
            switch method {
            case .mean, .knn, .mice:
                let imputer = ImputationMethod(rawValue: method.rawValue)!.makeImputer(.init(seed: c.seed, compute: compute))
                (imputed, row.seconds) = try timed { try imputer.impute(c.masked).imputed }
            case .noise:
                var random = RandomSource(seed: c.seed)
                (imputed, row.seconds) = timed { MIRIImputer.noiseFilled(c.masked, random: &random) }
            case .miri:
                row.preset = presetName
                var settings = ImputationMethod.Settings(seed: c.seed, compute: compute, miri: configuration)
                let config = settings.miriConfiguration
                let monitorBox = monitor.map { RoundMonitor(case: c, configuration: config, estimator: $0, report: report) }
                if let monitorBox {
                    settings.hooks.noiseFilled = { monitorBox.noiseFilled($0) }
                    settings.hooks.roundFinished = { monitorBox.roundFinished($0, $1) }
                }
                let start = Stopwatch()
                do {
                    imputed = try ImputationMethod.miri.makeImputer(settings).impute(c.masked).imputed
                } catch {
                    row.seconds = start.seconds - (monitorBox?.seconds ?? 0)
                    rounds += monitorBox?.records ?? []
                    throw error
                }
                row.monitorSeconds = monitorBox?.seconds ?? 0
                row.seconds = start.seconds - row.monitorSeconds
                rounds += monitorBox?.records ?? []
            }
        } catch let MIRIError.diverged(round, stage) {
            row.status = "diverged"
            row.note = "diverged in round \(round) (\(stage))"
            return (row, rounds)
        } catch {
            row.status = "failed"
            row.note = "\(error)".replacingOccurrences(of: "\n", with: " ")
            return (row, rounds)
        }
        if imputed.storage.contains(where: { !$0.isFinite }) {
            row.status = "failed"
            row.note = "non-finite value in the imputed table"
            return (row, rounds)
        }
        row.rmse = Metrics.rmse(imputed: imputed, truth: c.truth, observed: c.observed)
        row.mae = Metrics.mae(imputed: imputed, truth: c.truth, observed: c.observed)
        row.mmd = Metrics.mmd(imputed: imputed, truth: c.truth, maxRows: 2000)
        row.w1 = Metrics.wasserstein1(imputed: imputed, truth: c.truth)
        row.bias = Metrics.bias(imputed: imputed, truth: c.truth, observed: c.observed)
        let neighbours = Metrics.nearestNeighbourRatio(imputed: imputed, truth: c.truth, observed: c.observed)
        if let ratio = neighbours.ratio {
            row.nnRatio = ratio
        } else {
            row.note = neighbours.completeRows == 0
                ? "nn_ratio undefined: no complete row" : "nn_ratio undefined: the true rows' median distance is 0"
        }
        row.maxAbsError = 0
        for k in 0..<imputed.count where c.observed.storage[k] == 0 {
            row.maxAbsError = max(row.maxAbsError, abs(Double(imputed.storage[k]) - Double(c.truth.storage[k])))
        }
        if let monitor {
            row.mutualInformation = monitor.estimate(x: imputed, mask: c.observed, seed: mineSeed(c)).mutualInformation
        }
        return (row, rounds)
    }
}

/// The MINE critic's seed for a case: fixed per (dataset, seed), the same for every method and round.
func mineSeed(_ c: ProtocolCase) -> UInt64 {
    FNV1a64.hash(c.dataset.utf8) ^ (c.seed &* 0x9E37_79B9_7F4A_7C15)   // FNV-1a over the name, then the seed
}

/// Scores MIRI's table after the noise fill and after each round, from `MIRIHooks.noiseFilled`
/// and `MIRIHooks.roundFinished` (which hand over the table on the benchmark's scale). The time
/// spent here is counted, so the benchmark can leave it out of MIRI's seconds.
final class RoundMonitor {
    let c: ProtocolCase
    let configuration: MIRIConfiguration
    let estimator: MINEEstimator
    let report: (String) -> Void
    private(set) var records: [RoundRecord] = []
    private(set) var seconds = 0.0

    init(case c: ProtocolCase, configuration: MIRIConfiguration, estimator: MINEEstimator, report: @escaping (String) -> Void) {
        self.c = c
        self.configuration = configuration
        self.estimator = estimator
        self.report = report
    }

    /// Round 0: MIRI's noise fill.
    func noiseFilled(_ imputed: Matrix) {
        let start = Stopwatch()
        record(score(round: 0, imputed: imputed), since: start)
    }

    func roundFinished(_ diagnostics: RoundDiagnostics, _ imputed: Matrix) {
        let start = Stopwatch()
        var r = score(round: diagnostics.round, imputed: imputed)
        r.meanLoss = Double(diagnostics.meanLoss)
        r.trainingSeconds = diagnostics.trainingSeconds
        r.odeSeconds = diagnostics.odeSeconds
        record(r, since: start)
    }

    private func record(_ r: RoundRecord, since start: Stopwatch) {
        records.append(r)
        report(line(r))
        seconds += start.seconds
    }

    /// MIRI's table after a round, scored against the truth.
    private func score(round: Int, imputed: Matrix) -> RoundRecord {
        let finite = !imputed.storage.contains { !$0.isFinite }
        return RoundRecord(
            dataset: c.dataset, seed: c.seed, round: round,
            rmse: finite ? Metrics.rmse(imputed: imputed, truth: c.truth, observed: c.observed) : .nan,
            mmd: finite ? Metrics.mmd(imputed: imputed, truth: c.truth, maxRows: 2000) : .nan,
            w1: finite ? Metrics.wasserstein1(imputed: imputed, truth: c.truth) : .nan,
            mutualInformation: finite ? estimator.estimate(x: imputed, mask: c.observed, seed: mineSeed(c)).mutualInformation : .nan)
    }

    func line(_ r: RoundRecord) -> String {
        let head = "  \(c.dataset) seed \(c.seed) round " + String(format: "%2d/%d", r.round, configuration.rounds)
        let training = r.round == 0
            ? "(noise fill: MIRI's start)                       "
            : String(format: "loss %7.4f  train %7.2f s  ODE %6.2f s", r.meanLoss, r.trainingSeconds, r.odeSeconds)
        return head + "  " + training + String(format: "  RMSE %.4f  MMD %.5f  W1 %.4f  MI %+.4f", r.rmse, r.mmd, r.w1, r.mutualInformation)
    }
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = Stopwatch()
    let value = try body()
    return (value, start.seconds)
}
