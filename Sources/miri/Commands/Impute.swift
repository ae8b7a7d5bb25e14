import ArgumentParser
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg
import MIRI
import TableIO

extension Miri {
    struct Impute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill the missing cells of a CSV table.",
            discussion: """
                INPUT has a header row and comma-separated numeric cells; missing cells are empty, \
                NA, NaN, nan or ?. The output has the same header and rows; observed cells keep their \
                exact text, imputed cells are printed so they read back to the same 32-bit float.

                MIRI's settings start from --preset (default calibrated) and each flag given overrides one \
                field. A table with nothing missing is copied through unchanged (exit status 0).

                The output is written to a temporary file in the same folder and renamed into place, \
                so on any error (exit status 1, 2 bad input, 3 MIRI diverged, 130 interrupted) an \
                existing OUT.csv is left untouched and no partial file appears. A device, a pipe or a \
                link to one (/dev/null, a fifo, /dev/stdout) is written through instead, never replaced.
                """
        )

        @Argument(help: ArgumentHelp("The CSV table to impute, or - for standard input.", valueName: "INPUT.csv"))
        var input: String

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write the imputed table (default: standard output).", valueName: "OUT.csv"))
        var output: String?

        @Option(help: "The imputer: miri, mean, knn or mice (chained equations, scikit-learn's IterativeImputer defaults).")
        var method: Method = .miri

        @OptionGroup(title: "MIRI options")
        var miri: MIRIOptions

        @OptionGroup(title: "Checkpoints (MIRI)")
        var checkpoints: CheckpointOptions

        @Option(help: "kNN: donors averaged per missing cell (k).")
        var neighbors: Int = 5

        @OptionGroup(title: "Column kinds")
        var kinds: ColumnKindOptions

        @OptionGroup var threading: ThreadsOption

        @OptionGroup var display: DisplayOptions

        func validate() throws {
            if neighbors < 1 { throw ValidationError("--neighbors must be at least 1 (got \(neighbors))") }
            if checkpoints.given && method != .miri {
                throw ValidationError("--checkpoint and --resume apply to --method miri only")
            }
        }

        func run() throws {
            let ranks = Ranks.start()
            if ranks.isParallel { runParallel(ranks) }
            let interruption = Interruption()
            interruption.install()
            warnAboutUnusedOptions()

            let source = input == "-" ? "<stdin>" : input
            let destination = output.flatMap { $0 == "-" ? nil : $0 }
            var table: CSVTable?
            do {
                try checkOutputPath()
                let encoded = try kinds.read(input: input, source: source, into: &table, note: note)
                let read = encoded.table, columns = encoded.schema.encodedNames
                let data: Data
                if !read.hasMissing {
                    note("\(source) has no missing cells; copied it through unchanged")
                    data = read.textCells.isEmpty ? try read.csvData(imputed: read.values) : Data(read.csvBytes { _, _ in nil })
                    try interruption.cooperating { try TableOutput.write(data, to: destination, stoppingWhen: { interruption.requested }) }
                    return
                }
                let start = Stopwatch()
                let completion = try encoded.completion(roundIntegers: !kinds.noRoundIntegers) {
                    try impute($0, header: columns, interruption: interruption)
                }
                let seconds = start.seconds
                if interruption.requested { throw ImputationError.cancelled(completedRounds: 0) }
                data = Data(try read.csvBytes(completion: completion))
                try interruption.cooperating { try TableOutput.write(data, to: destination, stoppingWhen: { interruption.requested }) }
                if method == .miri { training(header: columns).finished() }
                let share = 100 * Double(read.missingCount) / Double(read.values.count)
                note("imputed \(read.missingCount) of \(read.values.count) cells (\(String(format: "%.1f", share))%; "
                     + "\(read.values.rows) rows x \(read.values.cols) columns) with \(methodDescription(rows: read.values.rows, encodedColumns: columns.count)) on \(threading.context.threads) thread(s) in "
                     + "\(String(format: "%.2f", seconds)) s -> \(destination ?? "standard output")")
            } catch {
                Failure(error, source: source, table: table).exit()
            }
        }

        /// Refuses (status 2) an --output that is a directory or names none, before any work.
        func checkOutputPath() throws {
            if let output, output != "-" { try OutputPath.check(output) }
        }

        /// Runs the chosen imputer on the table's values (NaN = missing).
        /// MIRI as this command's flags set it up.
        func training(header: [String]) -> MIRITraining {
            MIRITraining(settings: settings, display: display, checkpoints: checkpoints, columnNames: header)
        }

        /// Every method's settings as this command's flags give them.
        var settings: ImputationMethod.Settings {
            var settings = ImputationMethod.Settings(miri: miri, threads: threading, neighbors: neighbors)
            if method == .mice { settings.progress = display.miceRounds }
            return settings
        }

        func impute(_ values: Matrix, header: [String], interruption: Interruption) throws -> Matrix {
            // MIRI runs with the tool's progress, checkpoints and Ctrl-C; the rest as the library builds them.
            if method == .miri { return try training(header: header).run(values, interruption: interruption).imputed }
            return try method.makeImputer(settings).impute(values).imputed
        }

        func methodDescription(rows: Int, encodedColumns d: Int) -> String {
            switch method {
            case .mean: return "mean"
            case .knn: return "knn (k = \(neighbors))"
            case .mice:
                let limit = MICEConfiguration().neighbourLimit(columns: d).map { ", \($0) nearest features of \(d - 1) per regression" } ?? ""
                return "mice (Bayesian ridge, at most \(MICEConfiguration().rounds) rounds\(limit))"
            case .miri:
                var ran = settings.miriConfiguration
                ran.members = nil   // impute fits the whole-table member only
                return miri.summary(ran, rows: rows, columns: d)
            }
        }

        /// Says which given options the chosen method ignores.
        func warnAboutUnusedOptions() {
            var ignored: [String] = []
            if method != .miri { ignored += miri.givenFlags }
            if method != .knn && neighbors != 5 { ignored.append("--neighbors") }
            if !ignored.isEmpty {
                note("\(ignored.joined(separator: ", ")) do(es) not apply to --method \(method.rawValue); ignored")
            }
        }

        func note(_ text: String) { display.note(text) }
    }
}
