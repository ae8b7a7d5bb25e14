import Evaluation
import Foundation
import Imputation
import Linalg

/// The metrics of one method on one dataset over its seeds: mean and sample std of the runs that
/// finished, and what happened to those that did not.
struct MethodSummary {
    var dataset: String
    var method: String
    var rows: [QualityRow]

    var finished: [QualityRow] { rows.filter(\.succeeded) }
    var failed: [QualityRow] { rows.filter { !$0.succeeded } }

    func stats(_ metric: (QualityRow) -> Double) -> (mean: Double, std: Double, count: Int) {
        meanAndStd(finished.map(metric))
    }

    /// A table cell: "mean ± std" over the finished runs (the mean alone for one run), the failure
    /// word when none finished, "–" when the finished runs have no value (an undefined NN ratio).
    func cell(_ metric: (QualityRow) -> Double, _ digits: Int) -> String {
        let st = stats(metric)
        if st.count == 0 { return finished.isEmpty ? failureWord : "–" }
        return st.count > 1 ? "\(format(st.mean, digits: digits)) ± \(format(st.std, digits: digits))" : format(st.mean, digits: digits)
    }

    /// Mean seconds over the finished runs (over all runs, time to failure, when none finished).
    var seconds: Double {
        let pool = finished.isEmpty ? rows : finished
        return meanAndStd(pool.map(\.seconds)).mean
    }

    /// "miri (calibrated)" for MIRI, the method's name otherwise.
    var label: String {
        let preset = rows.first?.preset ?? ""
        return preset.isEmpty ? method : "\(method) (\(preset))"
    }

    /// "diverged" when every failed run diverged, "failed" otherwise.
    var failureWord: String { failed.allSatisfy { $0.status == "diverged" } ? "diverged" : "failed" }

    /// What the note column says: which seeds diverged or failed, and why; notes of finished runs
    /// (an undefined NN ratio).
    var note: String {
        let remarks = Dictionary(grouping: finished.filter { !$0.note.isEmpty }, by: \.note).sorted { $0.key < $1.key }
            .map { note, runs in "seed\(runs.count > 1 ? "s" : "") \(runs.map { String($0.seed) }.joined(separator: ", ")): \(note)" }
            .joined(separator: "; ")
        guard !failed.isEmpty else { return remarks }
        let what = failed.map { "seed \($0.seed): \($0.note)" }.joined(separator: "; ")
        if finished.isEmpty { return "no run finished (\(failureWord) on every seed): \(what)" }
        return "\(failed.count) of \(rows.count) seeds left out of the figures: \(what)" + (remarks.isEmpty ? "" : "; \(remarks)")
    }
}

/// Mean and sample standard deviation (n − 1; 0 for a single value) of the finite values.
func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double, count: Int) {
    let v = values.filter(\.isFinite)
    guard !v.isEmpty else { return (.nan, .nan, 0) }
    let mean = v.reduce(0, +) / Double(v.count)
    guard v.count > 1 else { return (mean, 0, 1) }
    let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, (ss / Double(v.count - 1)).squareRoot(), v.count)
}

/// What the header of a report says about the run.
struct RunContext {
    var command: String
    var dataSource: String
    var seeds: [UInt64]
    var mechanism: MissingnessMechanism
    var missingRate: Double
    var threads: Int
    var presetName: String
    var presetDescription: String
    var perRound: Bool
    var methods: [String]

    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        }
        return "unknown CPU"
    }
}

/// Markdown, JSON and CSV renderings of the benchmark's results.
enum QualityReport {
    /// The header's words for a mask (BENCHMARK.md's definitions, shortened).
    static func maskDescription(_ mechanism: MissingnessMechanism, rate p: Double) -> String {
        switch mechanism {
        case .mcar:
            return "MCAR, \(format(p * 100, digits: 0))% of the entries (SplitMix64, row-major, missing when u < \(p))"
        case .mar:
            return "MAR (logistic: 30% of the columns never missing, the others missing with probability σ(random "
                + "combination of those + b), mean \(p) per column; SplitMix64 draws as in masks.py)"
        case .mnar:
            return "MNAR (logistic with masked inputs: MAR's targets at mean rate \(p), then the input columns missing at "
                + "rate \(p); SplitMix64 draws as in masks.py)"
        case .mnarSelf:
            return "MNAR self-masked (each column missing with probability σ(x/std + b), mean \(p): large values go missing; "
                + "SplitMix64 draws as in masks.py)"
        }
    }

    static func header(_ context: RunContext) -> String {
        let coretype = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { "set to \($0)" } ?? "not set"
        var lines = [
            "# miri-bench quality",
            "",
            "- command: `\(context.command)`",
            "- data: \(context.dataSource)",
            "- machine: \(RunContext.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores; "
                + "OpenBLAS \(BLASRuntime.version), kernel core \(BLASRuntime.coreName) (OPENBLAS_CORETYPE \(coretype)), "
                + "\(context.threads) thread(s)",
            "- protocol (../shared/BENCHMARK.md): each column standardized with its full-data mean and population std, "
                + "then masked \(maskDescription(context.mechanism, rate: context.missingRate)); "
                + "seeds \(context.seeds.map(String.init).joined(separator: ", "))",
        ]
        if context.methods.contains("miri") {
            lines.append("- MIRI: preset `\(context.presetName)` (\(context.presetDescription)), its seed set to the benchmark seed")
        }
        lines += [
            "",
            "RMSE and MAE (over the missing entries) are **point** metrics: how close each imputed value is to the truth. "
                + "MMD (RBF kernel, median-heuristic bandwidth, first 2,000 rows) and W1 (1-D Wasserstein-1 per column, "
                + "averaged) are **distributional**: how much the completed table looks like the true one. "
                + "Bias is the mean of (imputed − true) over the missing entries: under MNAR a method that ignores the mask "
                + "misses in one direction. NN ratio is the median distance from an imputed row to the nearest complete true "
                + "row over the same median for the true rows (1 is perfect; far above 1, imputations land off the data; below "
                + "1, they crowd onto it). "
                + "A sampler like MIRI draws each missing value from its conditional law, so one draw pays about √2 in RMSE "
                + "against the conditional mean, while mean and kNN shrink the spread and pay in MMD and W1. "
                + "Read them together. Cells: mean ± sample std over the seeds that finished; seconds: mean wall time of the "
                + "imputation call alone\(context.perRound ? " (per-round monitoring left out)" : ""). "
                + "Lower is better for the rest; bias is best at 0, NN ratio at 1.",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The Markdown table of one dataset.
    static func table(dataset: String, shape: (rows: Int, cols: Int), summaries: [MethodSummary], seeds: [UInt64],
                      withMI: Bool) -> String {
        var lines = [
            "## \(dataset) (\(shape.rows) × \(shape.cols), seeds \(seeds.map(String.init).joined(separator: ", ")))",
            "",
            "| method | RMSE (point) | MAE (point) | MMD (distr.) | W1 (distr.) | bias | NN ratio |\(withMI ? " MI (MINE, nats) |" : "") seconds | note |",
            "| --- | --- | --- | --- | --- | --- | --- |\(withMI ? " --- |" : "") --- | --- |",
        ]
        for s in summaries {
            var row = "| \(s.label) | \(s.cell(\.rmse, 4)) | \(s.cell(\.mae, 4)) | \(s.cell(\.mmd, 5)) | \(s.cell(\.w1, 4)) | "
                + "\(s.cell(\.bias, 4)) | \(s.cell(\.nnRatio, 3)) |"
            if withMI { row += " \(s.cell(\.mutualInformation, 4)) |" }
            row += " \(formatSeconds(s.seconds)) | \(s.note) |"
            lines.append(row)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The per-round table of MIRI's runs (round 0 is the noise fill).
    static func roundsTable(_ records: [RoundRecord]) -> String {
        guard !records.isEmpty else { return "" }
        var lines = [
            "## MIRI per round",
            "",
            "Round 0 is MIRI's starting point (every missing entry an N(0, 1) draw on MIRI's scale). RMSE, MMD and W1 "
                + "against the truth on the benchmark scale; MI is a MINE (Donsker–Varadhan) lower bound on "
                + "I(imputed table; mask) in nats, critic trained on 80 % of the rows and evaluated on the other 20 %: "
                + "MIRI's goal is to drive it to 0.",
            "",
            "| dataset | seed | round | mean loss | train s | ODE s | RMSE | MMD | W1 | MI |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in records {
            lines.append("| \(r.dataset) | \(r.seed) | \(r.round) | \(format(r.meanLoss, digits: 4)) | "
                + "\(format(r.trainingSeconds, digits: 2)) | \(format(r.odeSeconds, digits: 2)) | \(format(r.rmse, digits: 4)) | "
                + "\(format(r.mmd, digits: 5)) | \(format(r.w1, digits: 4)) | \(format(r.mutualInformation, digits: 4)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Raw rows

    /// The keys of results.json and the columns of results.csv, in order. The first eight are the
    /// contract (BENCHMARK.md's); the rest are extra context, then the mask and MNAR metrics:
    /// `mechanism`, `rate` (asked for; `missing_rate` is the share that went missing), `bias`,
    /// `nn_ratio` (null when undefined; the note says why).
    /// The columns of one row. `withDraws` adds crps and coverage90 (empty/null for a row without draws),
    /// so every row of a run has the same columns as the CSV header.
    static func fields(_ row: QualityRow, withMI: Bool, withDraws: Bool) -> [(String, Value)] {
        var fields: [(String, Value)] = [
            ("dataset", .string(row.dataset)), ("method", .string(row.method)), ("seed", .integer(Int(row.seed))),
            ("rmse", .number(row.rmse)), ("mae", .number(row.mae)), ("mmd", .number(row.mmd)), ("w1", .number(row.w1)),
            ("seconds", .number(row.seconds)),
            ("status", .string(row.status)), ("note", .string(row.note)),
            ("rows", .integer(row.rows)), ("cols", .integer(row.cols)), ("missing_entries", .integer(row.missing)),
            ("missing_rate", .number(row.missingRate)), ("max_abs_error", .number(row.maxAbsError)), ("threads", .integer(row.threads)), ("preset", .string(row.preset)),
            ("mechanism", .string(row.mechanism)), ("rate", .number(row.rate)), ("bias", .number(row.bias)), ("nn_ratio", .number(row.nnRatio)),
        ]
        if withDraws {
            fields.append(("crps", .number(row.crps)))
            fields.append(("coverage90", .number(row.coverage90)))
        }
        if withMI {
            fields.append(("mi", .number(row.mutualInformation)))
            fields.append(("monitor_seconds", .number(row.monitorSeconds)))
        }
        return fields
    }

    enum Value {
        case string(String), integer(Int), number(Double)

        var json: String {
            switch self {
            case let .string(s): return jsonString(s)
            case let .integer(i): return String(i)
            case let .number(x): return x.isFinite ? "\(x)" : "null"
            }
        }

        var csv: String {
            switch self {
            case let .string(s):
                return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            case let .integer(i): return String(i)
            case let .number(x): return x.isFinite ? "\(x)" : ""
            }
        }
    }

    static func json(_ rows: [QualityRow], withMI: Bool) -> String {
        let objects = rows.map { row in
            "  {" + fields(row, withMI: withMI, withDraws: !row.crps.isNaN).map { "\(jsonString($0.0)): \($0.1.json)" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "]\n" : "\n]\n")
    }

    static func csv(_ rows: [QualityRow], withMI: Bool) -> String {
        let template = QualityRow(dataset: "", method: "", seed: 0)
        let withDraws = rows.contains { !$0.crps.isNaN }
        var lines = [fields(template, withMI: withMI, withDraws: withDraws).map(\.0).joined(separator: ",")]
        lines += rows.map { fields($0, withMI: withMI, withDraws: withDraws).map(\.1.csv).joined(separator: ",") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func roundsCSV(_ records: [RoundRecord]) -> String {
        var lines = ["dataset,seed,round,mean_loss,train_seconds,ode_seconds,rmse,mmd,w1,mi"]
        for r in records {
            lines.append([r.dataset, String(r.seed), String(r.round)].joined(separator: ",") + ","
                + [r.meanLoss, r.trainingSeconds, r.odeSeconds, r.rmse, r.mmd, r.w1, r.mutualInformation]
                    .map { $0.isFinite ? "\($0)" : "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// `x` with `digits` decimals; "–" when not finite.
func format(_ x: Double, digits: Int) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : "–"
}

/// Seconds with about three significant digits.
func formatSeconds(_ s: Double) -> String {
    guard s.isFinite else { return "–" }
    if s < 0.01 { return String(format: "%.4f", s) }
    if s < 1 { return String(format: "%.3f", s) }
    if s < 100 { return String(format: "%.2f", s) }
    return String(format: "%.0f", s)
}
