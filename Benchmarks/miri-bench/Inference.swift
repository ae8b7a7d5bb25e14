import ArgumentParser
import Evaluation
import Foundation
import Imputation
import Linalg

/// `miri-bench inference`: do the draws support valid inference? Parses, runs `InferenceStudy`
/// (module Evaluation) per setting and method, prints Markdown.
struct Inference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Multiple-imputation inference: bias, coverage and width of Rubin's intervals on simulated settings A, C, B, S.",
        discussion: """
            Each simulation draws a fresh table and mask (settings of BENCHMARK.md: A, n = 500, y = x + e, 50% of x MCAR; \
            C, as A with x missing with probability logistic(a + y), 40%; B, n = 1,000, x ~ U(-2, 2), z = x^2 + 0.5e, \
            w = x + z + e, 40% of x and of z MCAR; S, A on a small table, n = 100), fits each method on it, draws m tables (draw k from seed s + k - 1), \
            analyses each and pools with Rubin's rules (Barnard-Rubin df). Reported per estimand: the truth (a sample of \
            10^7 rows), raw bias RB, percent bias PB, coverage CR of the 95% interval with its Monte-Carlo s.e., average \
            width AW (van Buuren, FIMD 2.5.2), and ESE / SE: the standard deviation of the pooled estimate over the \
            simulations beside the mean of Rubin's standard error (ESE above SE: intervals too narrow for how much the \
            estimate really varies); per method the share of missing cells inside the 5-95% range of their m \
            draws, beside the exact conditional sampler's. Mean imputation is the negative control.
            """)

    @Option(help: ArgumentHelp("Settings, comma separated: A, C, B, S.", valueName: "A,C,B"))
    var settings = "A,C,B"

    @Option(help: ArgumentHelp("Simulated tables per setting.", valueName: "N"))
    var simulations = 200

    @Option(help: ArgumentHelp("Methods, comma separated: mean, mice, miri (slow); for comparison mice-chain (scikit-learn's sample_posterior chain), mice-replay (MICE's draws before issue 23) and miri-bootstrap (each draw from a MIRI model fitted on its own bootstrap resample of rows; m fits per table).", valueName: "list"))
    var methods = "mean,mice"

    @Option(help: ArgumentHelp("MIRI's preset: calibrated (the default; the draws' width: docs/calibration.md), fast or paper.", valueName: "name"))
    var preset = "calibrated"

    @Option(help: ArgumentHelp("Numbers of imputations m pooled, comma separated (each at least 2).", valueName: "list"))
    var draws = "5,20"

    @Option(help: ArgumentHelp("Rows of each simulated table (default: 500 for A and C, 1,000 for B).", valueName: "n"))
    var rows: Int?

    @Option(help: "Seed of simulation 1 (simulation s: seed + s - 1, for the table, the mask and the imputer).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Rows of the sample the truths are computed from.", valueName: "n"))
    var truthSample = 10_000_000

    @Option(help: "Threads (the package's workers).")
    var threads = 1

    @Option(help: ArgumentHelp("Also write one JSON object per (setting, method, m, estimand) here.", valueName: "file"))
    var json: String?

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        _ = try settingList()
        _ = try methodList()
        let m = try drawList()
        if m.isEmpty || m.contains(where: { $0 < 2 }) { throw ValidationError("--draws: each m must be at least 2") }
        // Each draw is a table held in memory: `miri apply --draws`'s cap.
        if let big = m.first(where: { $0 > Self.maxDraws }) { throw ValidationError("--draws: each m is at most \(Self.maxDraws) (got \(big))") }
        if try settingList().isEmpty { throw ValidationError("--settings: name at least one (A, C or B)") }
        if try methodList().isEmpty { throw ValidationError("--methods: name at least one") }
        if simulations < 1 { throw ValidationError("--simulations must be at least 1") }
        if let rows, rows < 10 { throw ValidationError("--rows must be at least 10") }
        if let rows, rows > Self.maxRows { throw ValidationError("--rows is at most \(Self.maxRows) (got \(rows))") }
        if truthSample < 1000 { throw ValidationError("--truth-sample must be at least 1000") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !MIRIConfigurationBuilder.presets.contains(preset) {
            throw ValidationError("unknown --preset '\(preset)' (\(MIRIConfigurationBuilder.presets.joined(separator: ", ")))")
        }
    }

    /// The most draws per table, as `miri apply --draws` allows.
    static let maxDraws = 100_000
    /// The most rows per simulated table: a few hundred MB per table and its draws' copies.
    static let maxRows = 10_000_000

    func settingList() throws -> [InferenceSetting] {
        try split(settings).map { name in
            guard let s = InferenceSetting(rawValue: name.uppercased()) else { throw ValidationError("unknown setting '\(name)' (A, C, B or S)") }
            return s
        }
    }

    /// The methods' names: mean, mice, miri, mice-chain, mice-replay and miri-bootstrap.
    func methodList() throws -> [String] {
        try split(methods).map { name in
            guard ["mice-replay", "mice-chain", "miri-bootstrap"].contains(name) || (ImputationMethod(rawValue: name).map { $0 != .knn } ?? false) else {
                throw ValidationError("unknown method '\(name)' (mean, mice, miri, mice-chain, mice-replay or miri-bootstrap)")
            }
            return name
        }
    }

    func source(_ name: String, compute: ComputeContext) -> InferenceStudy.DrawSource {
        if let method = ImputationMethod(rawValue: name) {
            var settings = ImputationMethod.Settings(compute: compute)
            if method == .miri { settings.miri = miriConfiguration }
            return InferenceStudy.drawSource(method, settings: settings)
        }
        if name == "mice-chain" { return InferenceStudy.chainMICESource(compute: compute) }
        if name == "miri-bootstrap" { return InferenceStudy.bootstrapMIRISource(configuration: miriConfiguration, compute: compute) }
        return InferenceStudy.replayedMICESource(compute: compute)
    }

    /// The `--preset` MIRI runs with (validated with the other options).
    var miriConfiguration: MIRIConfiguration {
        var builder = MIRIConfigurationBuilder()
        builder.preset = preset
        return (try? builder.configuration()) ?? .calibrated
    }

    func drawList() throws -> [Int] {
        try split(draws).map { guard let m = Int($0) else { throw ValidationError("bad --draws '\(draws)'") }; return m }
    }

    func run() throws {
        if let json { try BenchOutput.checkFile(json, option: "--json") }
        let compute = ComputeContext(threads: threads)
        var lines: [String] = []
        print("miri-bench inference: \(simulations) simulations per setting, m = \(try drawList().map(String.init).joined(separator: ", ")), seed \(seed)\n")
        for setting in try settingList() {
            let truths = setting.truths(sampleSize: truthSample)
            let study = InferenceStudy(setting: setting, rows: rows, simulations: simulations, draws: try drawList(), seed: seed, truths: truths)
            var results: [InferenceResult] = []
            for method in try methodList() {
                results.append(try study.run(method: method, source: source(method, compute: compute),
                                             progress: progress(setting, method)))
            }
            let exact = try study.run(method: "exact", source: study.exactSource(), progress: progress(setting, "exact"))
            print(Self.table(setting, study: study, results: results, exact: exact))
            for r in results + [exact] { lines += r.results.map { Self.jsonLine(r, $0) } }
        }
        if let json { try BenchOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: json, option: "--json") }
    }

    func progress(_ setting: InferenceSetting, _ method: String) -> ((Int) -> Void)? {
        if quiet { return nil }
        let every = max(1, simulations / 10)
        return { s in
            if s % every == 0 || s == simulations {
                FileHandle.standardError.write(Data("miri-bench: inference \(setting.rawValue) \(method) \(s)/\(simulations)\n".utf8))
            }
        }
    }

    static func table(_ setting: InferenceSetting, study: InferenceStudy, results: [InferenceResult], exact: InferenceResult) -> String {
        var out = "Setting \(setting.rawValue) (n = \(study.rows), columns \(setting.columnNames.joined(separator: ", ")), \(study.simulations) simulations)\n\n"
        out += "| method | m | estimand | truth | RB | PB | CR ± MC s.e. | AW | ESE / SE |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        for r in results + [exact] {
            for row in r.results {
                let pb = row.percentBias.map { String(format: "%.1f %%", $0) } ?? "–"
                let failed = row.pooled < r.simulations ? " (\(r.simulations - row.pooled) failed)" : ""
                out += "| \(r.method) | \(row.draws) | \(row.estimand) | \(String(format: "%.4f", row.truth)) | "
                    + String(format: "%+.4f", row.rawBias) + " | \(pb) | " + String(format: "%.3f ± %.3f", row.coverage, row.coverageSE)
                    + failed + " | " + String(format: "%.3f", row.averageWidth) + " | "
                    + String(format: "%.4f / %.4f", row.empiricalSE, row.modelSE) + " |\n"
            }
        }
        out += "\nPer cell, the 5–95 % range of \(exact.cellCoverageDraws) draws holds the true value: "
        out += (results + [exact]).map { "\($0.method) " + String(format: "%.1f %%", 100 * $0.cellCoverage) }.joined(separator: ", ") + "\n"
        return out
    }

    static func jsonLine(_ r: InferenceResult, _ row: InferenceResult.Row) -> String {
        let object: [String: Any] = ["setting": r.setting.rawValue, "method": r.method, "rows": r.rows, "simulations": r.simulations,
                                     "m": row.draws, "estimand": row.estimand, "truth": row.truth, "mean_estimate": row.meanEstimate,
                                     "raw_bias": row.rawBias, "percent_bias": row.percentBias.map { $0 as Any } ?? NSNull(),
                                     "coverage": row.coverage, "coverage_se": row.coverageSE, "average_width": row.averageWidth,
                                     "empirical_se": row.empiricalSE, "model_se": row.modelSE,
                                     "pooled": row.pooled, "cell_coverage": r.cellCoverage, "cell_coverage_draws": r.cellCoverageDraws]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
