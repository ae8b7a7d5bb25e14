import ArgumentParser
import Flow
import Foundation
import Imputation
import Linalg

/// `miri-bench draws`: what multiple imputation buys, per dataset (mean ± std over the seeds):
/// RMSE and MMD of one MIRI draw against the mean of 5 and of 20 draws, CRPS and 90 % coverage
/// of the 20 draws (BENCHMARK.md), mean imputation's MAE (its CRPS) for reference, and the
/// speed of applying the fitted model in rows per second.
struct Draws: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Multiple imputation with MIRI (or MICE): RMSE/MMD of 1 draw vs the mean of m draws, CRPS and 90% coverage, apply rows/s.",
        discussion: """
            Each (dataset, seed): standardize with full-data statistics, mask with BENCHMARK.md's SplitMix64 MCAR \
            mask, fit MIRI once (seed = mask seed), draw --draws tables (draw k from seed + k - 1) and score them. \
            With --method mice, fit MICE once and take its proper draws (a chain per draw, drawing each step's regression), as \
            `miri apply --draws` does with a MICE model. Prints a Markdown table; --json also writes one object per case.
            """)

    @Option(help: ArgumentHelp("Folder of complete CSV tables, or 'synthetic' (default: ../shared/datasets when present).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Datasets, comma separated (default: every table, smallest first).", valueName: "names"))
    var datasets: String?

    @Option(help: ArgumentHelp("Mask seeds, comma separated.", valueName: "list"))
    var seeds = "1,2,3"

    @Option(help: ArgumentHelp("Draws per case (m, at least 10 for CRPS and coverage to mean much).", valueName: "m"))
    var draws = 20

    @Option(help: ArgumentHelp("Sizes of the averages scored, comma separated (1 = a single draw).", valueName: "list"))
    var averages = "1,5,20"

    @Option(help: ArgumentHelp("The imputer whose draws are scored: miri or mice.", valueName: "miri|mice"))
    var method = "miri"

    @Option(help: ArgumentHelp("MIRI preset: calibrated (the default), fast or paper.", valueName: "calibrated|fast|paper"))
    var preset = "calibrated"

    @Option(help: "Share of entries masked.")
    var missingRate = 0.4

    @Option(help: "Threads (the package's workers; they split each product).")
    var threads = 2

    @Option(help: ArgumentHelp("Inductive use: fit on the first rows, score on the last FRACTION of the rows (never seen by the fit); the mean imputer is fitted on the same rows.", valueName: "fraction"))
    var holdout: Double?

    @Option(help: ArgumentHelp("Write the per-case results as JSON lines here.", valueName: "file"))
    var json: String?

    func validate() throws {
        if draws < 1 { throw ValidationError("--draws must be at least 1") }
        let sizes = try averageSizes()
        if sizes.isEmpty || sizes.contains(where: { $0 < 1 || $0 > draws }) {
            throw ValidationError("--averages must be between 1 and --draws (\(draws))")
        }
        if !MIRIConfigurationBuilder.presets.contains(preset) { throw ValidationError("unknown preset '\(preset)' (calibrated, fast or paper)") }
        if method != "miri" && method != "mice" { throw ValidationError("unknown method '\(method)' (miri or mice)") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let holdout, !(holdout > 0 && holdout < 1) { throw ValidationError("--holdout must be between 0 and 1") }
        if holdout != nil && method == "mice" { throw ValidationError("--holdout is for --method miri") }
    }

    func averageSizes() throws -> [Int] {
        try split(averages).map { guard let k = Int($0) else { throw ValidationError("bad --averages '\(averages)'") }; return k }
    }

    func run() throws {
        if let json { try BenchOutput.checkFile(json, option: "--json") }
        let names = datasets.map(split)
        let directory = data ?? QualityData.defaultDirectory()
        let tables = directory == nil || directory == QualityData.syntheticKeyword
            ? try QualityData.synthetic(names: names) : try QualityData.load(directory: directory!, names: names)
        let seedList = try split(seeds).map { text -> UInt64 in
            guard let s = UInt64(text) else { throw ValidationError("bad seed '\(text)'") }
            return s
        }
        let sizes = try averageSizes()
        var builder = MIRIConfigurationBuilder()
        builder.preset = preset
        let configuration = try builder.configuration()
        let what = method == "mice" ? "MICE (fit once, posterior predictive draws)" : "MIRI (\(preset))"
        emit("\(what) multiple imputation, \(draws) draws, \(threads) thread(s), OpenBLAS core \(BLASRuntime.coreName)"
             + (holdout.map { "; fitted on the first \(Int(((1 - $0) * 100).rounded()))% of each table's rows, scored on the rest" } ?? "") + "\n")
        emit(header(sizes))
        var lines: [String] = []
        for table in tables {
            var scores: [DrawsScore] = []
            for seed in seedList {
                let c = ProtocolCase(dataset: table.name, raw: table.values, seed: seed, missingRate: missingRate)
                FileHandle.standardError.write(Data("miri-bench: draws \(table.name) seed \(seed)\n".utf8))
                if let holdout, Int(holdout * Double(table.values.rows)) < 1 || table.values.rows - Int(holdout * Double(table.values.rows)) < 2 {
                    throw ValidationError("--holdout \(holdout) leaves no rows on one side of \(table.name) (\(table.values.rows) rows)")
                }
                let score = method == "mice"
                    ? try DrawsScore.evaluateMICE(c, draws: draws, averages: sizes, compute: ComputeContext(threads: threads))
                    : try DrawsScore.evaluate(c, configuration: configuration, draws: draws, averages: sizes, holdout: holdout,
                                              compute: ComputeContext(threads: threads))
                scores.append(score)
                lines.append(jsonLine(score))
            }
            emit(row(table.name, scores))
        }
        if let json { try BenchOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: json, option: "--json") }
    }

    func header(_ sizes: [Int]) -> String {
        let label = { (k: Int) in k == 1 ? "1 draw" : "mean of \(k)" }
        let cells = sizes.map { "RMSE \(label($0))" } + sizes.map { "MMD \(label($0))" }
            + ["CRPS (\(draws))", "90% cover (\(draws))", "MAE 1 draw", "mean-imputer MAE", "fit s", "apply rows/s"]
        return "| dataset | " + cells.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: cells.count + 1)
    }

    func row(_ name: String, _ s: [DrawsScore]) -> String {
        func stat(_ values: [Double], _ digits: Int) -> String {
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
            return values.count > 1 ? String(format: "%.\(digits)f ± %.\(digits)f", mean, sd) : String(format: "%.\(digits)f", mean)
        }
        let n = s[0].points.count
        let cells = (0..<n).map { i in stat(s.map { $0.points[i].rmse }, 3) } + (0..<n).map { i in stat(s.map { $0.points[i].mmd }, 4) }
            + [stat(s.map(\.crps), 3), stat(s.map { 100 * $0.coverage90 }, 1) + "%", stat(s.map { $0.points[0].mae }, 3),
               stat(s.map(\.meanImputerMAE), 3), stat(s.map(\.fitSeconds), 1), stat(s.map(\.applyRowsPerSecond), 0)]
        return "| \(name) | " + cells.joined(separator: " | ") + " |"
    }

    func jsonLine(_ s: DrawsScore) -> String {
        let points = s.points.map {
            "{\"draws\": \($0.draws), \"rmse\": \($0.rmse), \"mae\": \($0.mae), \"mmd\": \($0.mmd), \"w1\": \($0.w1)}"
        }.joined(separator: ", ")
        return "{\"dataset\": \"\(s.dataset)\", \"seed\": \(s.seed), \"draws\": \(s.draws), \"averages\": [\(points)], "
            + "\"crps\": \(s.crps), \"coverage90\": \(s.coverage90), \"mean_imputer_mae\": \(s.meanImputerMAE), \"mean_imputer_rmse\": \(s.meanImputerRMSE), "
            + "\"fit_seconds\": \(s.fitSeconds), \"seconds_per_draw\": \(s.secondsPerDraw), \"apply_rows_per_second\": \(s.applyRowsPerSecond)}"
    }

    private func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
