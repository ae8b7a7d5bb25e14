import ArgumentParser
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg
import TableIO

extension Miri {
    struct Impute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill the missing cells of a CSV table.",
            discussion: """
                INPUT has a header row and comma-separated numeric cells; missing cells are empty, \
                NA, NaN, nan or ?. The output has the same header and rows; observed cells keep their \
                exact text, imputed cells are printed so they read back to the same 32-bit float.

                MIRI's settings start from --preset (default fast) and each flag given overrides one \
                field. A table with nothing missing is copied through unchanged (exit status 0).

                The output is written to a temporary file in the same folder and renamed into place, \
                so on any error (exit status 1, 2 bad input, 3 MIRI diverged, 130 interrupted) an \
                existing OUT.csv is left untouched and no partial file appears.
                """
        )

        @Argument(help: ArgumentHelp("The CSV table to impute, or - for standard input.", valueName: "INPUT.csv"))
        var input: String

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write the imputed table (default: standard output).", valueName: "OUT.csv"))
        var output: String?

        @Option(help: "The imputer: miri, mean or knn.")
        var method: Method = .miri

        @Option(help: "Seed of every random choice; the same seed and --threads give the same output.")
        var seed: UInt64 = 0

        @Option(help: "MIRI settings to start from: fast (stable, quick) or paper (the authors' settings; slow, may diverge).")
        var preset: Preset = .fast

        @Option(help: ArgumentHelp("MIRI: rounds of train-then-re-impute (K).", valueName: "K"))
        var rounds: Int?

        @Option(help: ArgumentHelp("MIRI: training epochs per round (E); replaces any per-round step budget of the preset.", valueName: "E"))
        var epochs: Int?

        @Option(help: ArgumentHelp("MIRI: rows per training minibatch (B).", valueName: "B"))
        var batchSize: Int?

        @Option(help: ArgumentHelp("MIRI: Euler steps of each round's re-imputation ODE.", valueName: "N"))
        var steps: Int?

        @Option(help: ArgumentHelp("MIRI: hidden layer widths of the velocity network, comma separated.", valueName: "1001,1001,1001"))
        var hidden: HiddenWidths?

        @Option(help: ArgumentHelp("MIRI: Adam's learning rate.", valueName: "0.01"))
        var lr: Float?

        @Option(help: "kNN: donors averaged per missing cell (k).")
        var neighbors: Int = 5

        @Option(help: ArgumentHelp("OpenBLAS threads (default: the number of cores).", valueName: "T"))
        var threads: Int?

        @Flag(help: "Print nothing on standard error but errors.")
        var quiet = false

        @Flag(help: "Draw MIRI's progress line even when standard error is not a terminal.")
        var progress = false

        /// The preset with each given flag applied.
        var miriConfiguration: MIRIConfiguration {
            var c = preset.configuration
            c.seed = seed
            if let rounds { c.rounds = rounds }
            if let epochs { c.epochs = epochs; c.stepsPerRound = nil }   // given epochs win over a step budget
            if let batchSize { c.batchSize = batchSize }
            if let steps { c.odeSteps = steps }
            if let hidden { c.hiddenWidths = hidden.widths }
            if let lr { c.learningRate = lr }
            return c
        }

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
            if neighbors < 1 { throw ValidationError("--neighbors must be at least 1 (got \(neighbors))") }
            if let message = miriConfiguration.validationError() { throw ValidationError(message) }
        }

        func run() throws {
            let interruption = Interruption()
            interruption.install()
            BLASRuntime.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
            warnAboutUnusedOptions()

            let source = input == "-" ? "<stdin>" : input
            let destination = output.flatMap { $0 == "-" ? nil : $0 }
            var table: CSVTable?
            do {
                let read = input == "-" ? try CSVTable.readStandardInput(source: source) : try CSVTable.read(path: input)
                table = read
                let data: Data
                if !read.hasMissing {
                    note("\(source) has no missing cells; copied it through unchanged")
                    data = read.csvData(imputed: read.values)
                    try interruption.cooperating { try write(data, to: destination) }
                    return
                }
                let start = DispatchTime.now()
                let imputed = try impute(read.values, interruption: interruption)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                if interruption.requested { throw MIRIError.cancelled(completedRounds: 0) }
                data = read.csvData(imputed: imputed)
                try interruption.cooperating { try write(data, to: destination) }
                let share = 100 * Double(read.missingCount) / Double(read.values.count)
                note("imputed \(read.missingCount) of \(read.values.count) cells (\(String(format: "%.1f", share))%; "
                     + "\(read.values.rows) rows x \(read.values.cols) columns) with \(methodDescription(rows: read.values.rows)) on \(BLASRuntime.threads) thread(s) in "
                     + "\(String(format: "%.2f", seconds)) s -> \(destination ?? "standard output")")
            } catch {
                Failure(error, source: source, table: table).exit()
            }
        }

        /// Runs the chosen imputer on the table's values (NaN = missing).
        func impute(_ values: Matrix, interruption: Interruption) throws -> Matrix {
            switch method {
            case .mean:
                return try MeanImputer().impute(values).imputed
            case .knn:
                return try KNNImputer(neighbors: neighbors).impute(values).imputed
            case .miri:
                let c = miriConfiguration
                let display = ProgressDisplay(rounds: c.rounds, epochs: c.epochs(forRows: values.rows),
                                              live: progress || Diagnostics.isTerminal, quiet: quiet)
                defer { display.finish() }
                let imputer = MIRIImputer(configuration: c, hooks: display.hooks(shouldStop: { interruption.requested }))
                return try interruption.cooperating { try imputer.impute(values).imputed }
            }
        }

        /// Writes atomically to `path`, or to standard output when nil.
        func write(_ data: Data, to path: String?) throws {
            if let path {
                try AtomicFile.write(data, to: path)
            } else {
                FileHandle.standardOutput.write(data)
            }
        }

        func methodDescription(rows: Int) -> String {
            switch method {
            case .mean: return "mean"
            case .knn: return "knn (k = \(neighbors))"
            case .miri:
                let c = miriConfiguration
                return "miri (preset \(preset.rawValue): \(c.rounds) rounds, \(c.epochs(forRows: rows)) epochs, batch \(c.batchSize), "
                    + "\(c.odeSteps) ODE steps, hidden \(c.hiddenWidths.map(String.init).joined(separator: ",")), "
                    + "lr \(c.learningRate), seed \(c.seed))"
            }
        }

        /// Says which given options the chosen method ignores.
        func warnAboutUnusedOptions() {
            var ignored: [String] = []
            if method != .miri {
                let miriOnly: [(String, Bool)] = [
                    ("--rounds", rounds != nil), ("--epochs", epochs != nil), ("--batch-size", batchSize != nil),
                    ("--steps", steps != nil), ("--hidden", hidden != nil), ("--lr", lr != nil),
                ]
                ignored += miriOnly.filter(\.1).map(\.0)
            }
            if method != .knn && neighbors != 5 { ignored.append("--neighbors") }
            if !ignored.isEmpty {
                note("\(ignored.joined(separator: ", ")) do(es) not apply to --method \(method.rawValue); ignored")
            }
        }

        func note(_ text: String) {
            if !quiet { Diagnostics.line("miri: \(text)") }
        }
    }
}
