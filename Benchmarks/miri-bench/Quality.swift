import Evaluation
import ArgumentParser
import Flow
import Foundation
import Imputation
import Linalg

extension MissingnessMechanism: ExpressibleByArgument {}

/// `miri-bench quality`: the protocol of ../shared/BENCHMARK.md on real (or built-in) tables.
///
/// For each dataset, seed and method: standardize every column with the full-data mean and
/// population std, mask with the chosen mechanism (`--mechanism`, default the SplitMix64 MCAR
/// mask), impute the masked table, and score RMSE, MAE and bias over the missing entries, MMD
/// (first 2,000 rows), W1 and the nearest-neighbour ratio against the truth, with the wall
/// seconds of the imputation call alone. A MIRI run that diverges is recorded as a failed row.
struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Imputation quality (RMSE, MAE, MMD, W1, bias, NN ratio) and seconds of mean, kNN, MICE and MIRI on the benchmark tables.",
        discussion: """
            Writes results.md (the Markdown tables, also printed), results.json and results.csv (one row per \
            dataset, method and seed), quality.svg (RMSE, MMD and seconds as grouped bars) and, with --per-round, \
            rounds.csv into --out.
            """)

    @Option(help: ArgumentHelp("Folder of complete numeric CSV tables (header row), or 'synthetic' for the built-in tables. "
        + "Default: ../shared/datasets (from the current folder, else from the package root) when it exists, else the built-in tables.",
        valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Datasets to run, comma separated (file names without .csv). Default: every table, smallest first.",
                               valueName: "names"))
    var datasets: String?

    @Option(help: ArgumentHelp("Methods, comma separated: mean, knn, miri, mice, noise (an N(0,1) fill: MIRI's start).",
                               valueName: "list"))
    var methods = "mean,knn,miri"

    @Option(help: ArgumentHelp("Mask seeds, comma separated (MIRI's seed is set to the same value).", valueName: "list"))
    var seeds = "1,2,3"

    @Option(help: ArgumentHelp("How entries go missing (BENCHMARK.md): mcar, mar, mnar or mnar-self.", valueName: "mechanism"))
    var mechanism: MissingnessMechanism = .mcar

    @Option(name: [.customLong("missing-rate"), .customLong("rate")],
            help: "The mechanism's rate p (mcar: missing when u < p; mar/mnar: the targets' rate; mnar-self: each column's).")
    var missingRate = 0.4

    @Option(help: ArgumentHelp("MIRI settings to start from: calibrated (the default), fast or paper.", valueName: "calibrated|fast|paper"))
    var preset = "calibrated"

    @Option(help: ArgumentHelp("Folder for results.md, results.json, results.csv, quality.svg (created if needed).",
                               valueName: "dir"))
    var out = "results"

    @Option(help: "MIRI rounds (default: the preset's).")
    var rounds: Int?
    @Option(help: "MIRI training epochs per round (default: the preset's).")
    var epochs: Int?
    @Option(help: "MIRI optimizer steps per round; overrides the epochs (default: the preset's).")
    var stepsPerRound: Int?
    @Option(help: "MIRI minibatch rows (default: the preset's).")
    var batchSize: Int?
    @Option(help: "MIRI ODE steps per re-imputation (default: the preset's).")
    var steps: Int?
    @Option(help: "MIRI ODE solver: euler, midpoint or heun (default: the preset's).")
    var odeSolver: String?
    @Option(help: "MIRI: extra loss weight λ of missing entries whose partner observes them (0: none; default: the preset's).")
    var observedPartnerWeight: Float?
    @Option(help: ArgumentHelp("MIRI hidden widths, comma separated (default: the preset's).", valueName: "W,W,..."))
    var hidden: String?
    @Option(help: "MIRI Adam learning rate (default: the preset's).")
    var lr: Float?
    @Flag(inversion: .prefixedNo, help: "MIRI: start each round's network from the previous round's (default: the preset's).")
    var warmStart: Bool?
    @Option(help: "MIRI: evolve enough imputations side by side to hold this many rows, at most 16 (0: one; default: the preset's).")
    var chainRows: Int?
    @Option(help: "MIRI: each round's network ends as the moving average of its weights with this decay (0: none; default: the preset's).")
    var weightAverage: Float?

    @Option(help: "Threads (the package's workers; they split each product).")
    var threads = 2

    @Option(help: "MIRI and MICE: also draw m imputations (MIRI: from the fitted model; MICE: m posterior-sampling chains) and score their CRPS and 90% coverage (BENCHMARK.md); mean and kNN get CRPS = MAE. Adds crps and coverage90 to the results.")
    var draws: Int?

    @Flag(help: "Per MIRI round: mean training loss, training/ODE seconds, RMSE, MMD and W1 to the truth, and a MINE estimate of I(imputed table; mask). Also adds MINE's estimate for every method's final table.")
    var perRound = false

    @Option(help: "Adam steps of the MINE critic (with --per-round).")
    var mineSteps = MINEEstimator().steps

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    mutating func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !(missingRate > 0 && missingRate < 1) { throw ValidationError("--missing-rate must be between 0 and 1") }
        if try parsedMethods().isEmpty { throw ValidationError("--methods is empty") }
        if try parsedSeeds().isEmpty { throw ValidationError("--seeds is empty") }
        _ = try miriConfiguration()
        if mineSteps < 1 { throw ValidationError("--mine-steps must be at least 1") }
    }

    func parsedMethods() throws -> [BenchMethod] {
        try list(methods).map { name in
            guard let m = BenchMethod(rawValue: name) else {
                throw ValidationError("unknown method '\(name)' (known: \(BenchMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return m
        }
    }

    func parsedSeeds() throws -> [UInt64] {
        try list(seeds).map { text in
            guard let s = UInt64(text) else { throw ValidationError("bad seed '\(text)' (seeds are non-negative integers)") }
            return s
        }
    }

    /// The MIRI flags as the library's one configuration builder takes them (the seed is each case's).
    func miriBuilder() throws -> MIRIConfigurationBuilder {
        var b = MIRIConfigurationBuilder()
        b.preset = preset
        b.rounds = rounds
        b.epochs = epochs
        b.stepsPerRound = stepsPerRound
        b.batchSize = batchSize
        b.odeSteps = steps
        if let odeSolver {
            guard let solver = ODESolver(rawValue: odeSolver) else {
                throw ValidationError("unknown --ode-solver '\(odeSolver)' (\(ODESolver.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            b.odeSolver = solver
        }
        b.learningRate = lr
        b.warmStart = warmStart
        b.chainRows = chainRows
        b.weightAverageDecay = weightAverage
        b.observedPartnerWeight = observedPartnerWeight
        if let hidden {
            guard let widths = MIRIConfigurationBuilder.widths(hidden) else {
                throw ValidationError("bad --hidden '\(hidden)' (positive widths, comma separated: 128,128)")
            }
            b.hiddenWidths = widths
        }
        return b
    }

    func miriConfiguration() throws -> MIRIConfiguration {
        do { return try miriBuilder().configuration() } catch MIRIError.invalidConfiguration(let message) { throw ValidationError(message) }
    }

    func run() throws {
        let methodList = try parsedMethods(), seedList = try parsedSeeds()
        let config = try miriConfiguration()
        let names = datasets.map(list)

        let tables: [BenchTable]
        let source: String
        if data == QualityData.syntheticKeyword || (data == nil && QualityData.defaultDirectory() == nil) {
            tables = try QualityData.synthetic(names: names)
            source = "built-in synthetic tables (\(tables.map(\.name).joined(separator: ", ")))"
        } else {
            let directory = data ?? QualityData.defaultDirectory()!
            tables = try QualityData.load(directory: directory, names: names)
            source = "\(URL(fileURLWithPath: directory).standardizedFileURL.path) (\(tables.map(\.name).joined(separator: ", ")))"
        }

        let context = RunContext(
            command: (["miri-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            dataSource: source, seeds: seedList, mechanism: mechanism, missingRate: missingRate, threads: threads,
            presetName: preset, presetDescription: Self.describe(config), perRound: perRound,
            methods: methodList.map(\.rawValue))
        let header = QualityReport.header(context)
        emit(header)

        var mine = MINEEstimator()
        mine.steps = mineSteps
        mine.compute = ComputeContext(threads: threads)
        let runner = QualityRunner(configuration: config, presetName: preset, threads: threads,
                                   monitor: perRound ? mine : nil,
                                   report: { emit($0) })
        let outURL = URL(fileURLWithPath: out)
        try BenchOutput.checkFolder(out, option: "--out")
        try BenchOutput.createFolder(out, option: "--out")

        var allRows: [QualityRow] = [], allRounds: [RoundRecord] = [], summaries: [MethodSummary] = []
        var sections: [String] = []
        for table in tables {
            let truth = Standardization(fitting: table.values).apply(table.values)
            var rows: [QualityRow] = []
            for seed in seedList {
                let c = ProtocolCase(dataset: table.name, standardized: truth, raw: table.exact, mechanism: mechanism,
                                     seed: seed, missingRate: missingRate)
                for method in methodList {
                    if method == .miri { progress("\(table.name) seed \(seed) miri: running") }
                    var (row, rounds) = runner.run(method, on: c)
                    if let m = draws, row.succeeded { scoreDraws(&row, method: method, case: c, draws: m) }
                    rows.append(row)
                    allRounds += rounds
                    let outcome = row.succeeded
                        ? String(format: "RMSE %.4f  MMD %.5f  W1 %.4f  bias %+.4f  NN ratio ", row.rmse, row.mmd, row.w1, row.bias)
                            + format(row.nnRatio, digits: 3) : row.note
                    progress("\(table.name) seed \(seed) \(method.rawValue): \(outcome)  (\(formatSeconds(row.seconds)) s)")
                }
            }
            allRows += rows
            let mine = methodList.map { m in MethodSummary(dataset: table.name, method: m.rawValue, rows: rows.filter { $0.method == m.rawValue }) }
            summaries += mine
            let section = QualityReport.table(dataset: table.name, shape: (table.values.rows, table.values.cols),
                                              summaries: mine, seeds: seedList, withMI: perRound)
            sections.append(section)
            emit(section)
            // Rewrite every file after each dataset, so a long run leaves its finished part behind.
            try write(outURL, header: header, sections: sections, rows: allRows, rounds: allRounds,
                      summaries: summaries, datasets: tables.prefix(sections.count).map(\.name), methods: methodList.map(\.rawValue))
        }
        if perRound, !allRounds.isEmpty { emit(QualityReport.roundsTable(allRounds)) }
        progress("wrote \(["results.md", "results.json", "results.csv", "quality.svg"].map { outURL.appendingPathComponent($0).path }.joined(separator: ", "))")
    }

    func write(_ folder: URL, header: String, sections: [String], rows: [QualityRow], rounds: [RoundRecord],
               summaries: [MethodSummary], datasets: [String], methods: [String]) throws {
        var markdown = header + "\n" + sections.joined(separator: "\n")
        if perRound, !rounds.isEmpty { markdown += "\n" + QualityReport.roundsTable(rounds) }
        try Data(markdown.utf8).write(to: folder.appendingPathComponent("results.md"), options: .atomic)
        try Data(QualityReport.json(rows, withMI: perRound).utf8).write(to: folder.appendingPathComponent("results.json"), options: .atomic)
        try Data(QualityReport.csv(rows, withMI: perRound).utf8).write(to: folder.appendingPathComponent("results.csv"), options: .atomic)
        let svg = QualityChart.svg(datasets: datasets, methods: methods, summaries: summaries,
                                   title: "\(Int((missingRate * 100).rounded()))% \(mechanism.rawValue.uppercased()), seeds \(try parsedSeeds().map(String.init).joined(separator: ",")); "
                                       + "MIRI preset \(preset); \(threads) thread(s), OpenBLAS core \(BLASRuntime.coreName)\n"
                                       + "bars: mean over the seeds that finished, whiskers ± 1 sd")
        try Data(svg.utf8).write(to: folder.appendingPathComponent("quality.svg"), options: .atomic)
        if perRound {
            try Data(QualityReport.roundsCSV(rounds).utf8).write(to: folder.appendingPathComponent("rounds.csv"), options: .atomic)
        }
    }

    static func describe(_ c: MIRIConfiguration) -> String {
        let training = c.stepsPerRound.map { "\($0) steps per round" } ?? "\(c.epochs) epochs"
        return "\(c.rounds) rounds, \(training), batch \(c.batchSize), \(c.odeSteps) \(c.odeSolver.rawValue) steps, "
            + "hidden \(c.hiddenWidths.map(String.init).joined(separator: "×")), Adam lr \(c.learningRate)"
            + (c.freshPartnersEachEpoch ? ", fresh partners each epoch" : ", one partner permutation per round")
            + (c.clampToObservedRange ? ", imputations clamped to each column's observed range" : "")
            + (c.warmStart ? ", each round's network starts from the previous round's" : "")
            + (c.chainRows.map { ", imputations evolved side by side to hold \($0) rows" } ?? "")
            + (c.weightAverageDecay.map { ", weights averaged (decay \($0))" } ?? "")
            + (c.observedPartnerWeight.map { ", observed partners weighted 1 + \($0)" } ?? "")
    }

    func progress(_ message: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data("miri-bench: \(message)\n".utf8))
    }
}

private func list(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Writes a line to standard output at once (unbuffered), so a long run's tables appear as they finish.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

extension Quality {
    /// Fills `row.crps` (and, for MIRI and MICE, `row.coverage90`) for `--draws m`. For a point
    /// imputer CRPS is its MAE. MICE's draws are m posterior-sampling chains (`MICEDraws`).
    func scoreDraws(_ row: inout QualityRow, method: BenchMethod, case c: ProtocolCase, draws m: Int) {
        let score: (crps: Double, coverage90: Double)?
        switch method {
        case .miri: score = (try? DrawsScore.evaluate(c, configuration: miriConfiguration(), draws: m, averages: [1],
                                                                compute: ComputeContext(threads: threads))).map { ($0.crps, $0.coverage90) }
        case .mice: score = try? MICEDraws.score(c, draws: m, compute: ComputeContext(threads: threads))
        case .mean, .knn, .noise: row.crps = row.mae; return
        }
        guard let score else { return }
        row.crps = score.crps
        row.coverage90 = score.coverage90
        progress("\(c.dataset) seed \(c.seed) \(method.rawValue): \(m) draws, CRPS \(String(format: "%.4f", score.crps)), 90% coverage \(String(format: "%.1f%%", 100 * score.coverage90))")
    }
}
