import ArgumentParser
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg
import MIRI
import ModelStore
import TableIO

extension Miri {
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Impute a CSV table with a model saved by `miri fit`, streaming it in row batches.",
            discussion: """
                INPUT must have the model's columns, by name and in order; their kinds and categories are \
                the model's (a category it never saw is kept as written and treated as missing for the \
                imputation, with a note counting such cells). Each batch of about 65,536 \
                rows is read, imputed (MIRI: a fresh noise fill, then the model's K flows in order; MICE: \
                the training means, then every round's regressions in order) and written before the next, \
                so memory does not grow with the file; the speed is reported in rows per second.

                A MICE model's single imputation is its regressions' predictions (no randomness); its \
                --draws are proper draws: each runs its own chain on the batch's rows, at every step \
                refitting the regression, drawing it from its posterior and drawing every cell from it \
                (mice's norm inside the chain).

                The seed defaults to the one the model was fitted with, so applying a model to its own \
                training table reproduces `miri impute` with the fit's flags and --threads exactly.

                Multiple imputation: --draws m writes m completed tables, draw k to OUT.k.csv (the draw \
                number before the extension: out.csv -> out.1.csv ... out.m.csv), draw k from seed \
                (N + k - 1), so draw 1 is the single imputation with --seed N. --average writes the mean \
                of the m draws to OUT.csv instead: a point estimate with a lower RMSE than one draw.

                Outputs are written to temporary files and renamed into place at the end, all draws \
                together: on any error (status 1, 2 bad input or model, 3 diverged, 130 interrupted) no \
                output appears and no existing one changes. --draws m needs m files open at once; a \
                count beyond the open-file limit (ulimit -n) is refused with status 64.
                """
        )

        @Argument(help: ArgumentHelp("The model file written by `miri fit`.", valueName: "M.miri"))
        var model: String

        @Argument(help: ArgumentHelp("The table to impute, or - for standard input.", valueName: "INPUT.csv"))
        var input: String

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write the imputed table (default: standard output).", valueName: "OUT.csv"))
        var output: String?

        @Option(help: "Seed of the noise fill (default: the seed the model was fitted with).")
        var seed: UInt64?

        @Option(help: ArgumentHelp("Completed tables to draw; with m > 1 they go to OUT.1.csv ... OUT.m.csv.", valueName: "m"))
        var draws: Int = 1

        @Flag(help: "Write the mean of the --draws tables as one table instead.")
        var average = false

        @OptionGroup var threading: ThreadsOption

        @Flag(help: "Print nothing on standard error but errors.")
        var quiet = false

        @Flag(help: "Draw the progress line even when standard error is not a terminal.")
        var progress = false

        /// Rows per batch before rounding to whole ODE blocks (for tests of batch boundaries).
        @Option(help: .hidden)
        var batchRows: Int = 65_536

        func validate() throws {
            if draws < 1 { throw ValidationError("--draws must be at least 1 (got \(draws))") }
            if draws > StreamingImputation.maxDraws {
                throw ValidationError("--draws is at most \(StreamingImputation.maxDraws) (got \(draws)): each draw is a full imputation of the table")
            }
            if average && draws < 2 { throw ValidationError("--average needs --draws m with m of 2 or more") }
            if draws > 1 && !average && (output == nil || output == "-") {
                throw ValidationError("--draws \(draws) writes OUT.1.csv ... OUT.\(draws).csv: give --output OUT.csv (or --average for one table)")
            }
            if batchRows < 1 { throw ValidationError("--batch-rows must be at least 1") }
        }

        func run() throws {
            let ranks = Ranks.start()
            if ranks.isParallel { runParallel(ranks) }
            let interruption = Interruption()
            interruption.install()
            let source = input == "-" ? "<stdin>" : input
            let destination = output.flatMap { $0 == "-" ? nil : $0 }
            var current: CSVTable?
            do {
                try checkOutputPaths()
                if draws > 1 && !average { try Self.checkOpenFileLimit(draws: draws) }
                var fitted = try FittedModelFile.read(path: model)
                fitted.compute = threading.context
                let application = ModelApplication(stream: StreamingImputation(model: fitted, draws: draws, average: average, seed: seed),
                                                   modelSource: model)
                let rows = StreamingImputation.batchRows(for: fitted, requested: batchRows)
                let reader = input == "-"
                    ? try CSVReader(fileHandle: .standardInput, source: source, batchRows: rows, allowText: application.stream.readsText)
                    : try CSVReader(path: input, batchRows: rows, allowText: application.stream.readsText)
                try application.checkColumns(reader.header, source: source)
                let paths: [String?] = draws > 1 && !average
                    ? (1...draws).map { ApplyOutputs.drawPath(destination!, draw: $0) } : [destination]

                let start = Stopwatch()
                let live = !quiet && (progress || Diagnostics.isTerminal)
                var totals = StreamingImputation.Totals()
                try interruption.cooperating {
                    try ApplyOutputs.withHandles(paths) { handles in
                        let writers = zip(handles, paths).map { CSVWriter(fileHandle: $0, destination: $1 ?? "standard output") }
                        totals = try application.stream.run(reader, writers: writers, current: &current,
                                                     shouldStop: { interruption.requested }) { sofar in
                            if live { Diagnostics.write("\r\u{1B}[K" + Self.rate(sofar.rows, since: start)) }
                            if interruption.requested { throw Interrupted() }
                        }
                        if live { Diagnostics.write("\r\u{1B}[K") }
                    }
                }
                if totals.unseenCategories > 0 {
                    note("\(totals.unseenCategories) observed cell(s) hold a category the model never saw; "
                         + "kept as written, and treated as missing in the imputation's inputs")
                }
                let written = paths.count == 1 ? (destination ?? "standard output")
                    : "\(paths.first!!) ... \(paths.last!!)"
                let what = draws == 1 ? "" : average ? ", mean of \(draws) draws" : ", \(draws) draws"
                let seconds = start.seconds
                note("applied \(model) to \(source): \(totals.rows) rows, \(totals.missing) of \(totals.cells) cells imputed\(what) "
                     + "(seed \(application.seed), \(threading.context.threads) thread(s)) in \(String(format: "%.2f", seconds)) s: "
                     + "\(Self.grouped(Self.perSecond(totals.rows, seconds))) rows/s "
                     + "(imputation alone \(String(format: "%.2f", totals.imputeSeconds)) s) -> \(written)")
            } catch is Interrupted, ImputationError.cancelled {
                let partial = destination == nil ? "; standard output may hold part of the table" : "; nothing was written"
                Failure(message: "interrupted\(partial)", status: ExitStatus.interrupted).exit()
            } catch {
                Failure(error, source: source, table: current).exit()
            }
        }

        /// Refuses (status 2) an --output that is a directory or names none, and, with --draws,
        /// any draw's file that is a directory, before any work: draws are named from a file name.
        func checkOutputPaths() throws {
            guard let output, output != "-" else { return }
            try OutputPath.check(output)
            if draws > 1 && !average {
                for k in 1...draws { try OutputPath.check(ApplyOutputs.drawPath(output, draw: k)) }
            }
        }

        /// Refuses (status 64) a draw count whose outputs cannot all be open at once.
        static func checkOpenFileLimit(draws: Int) throws {
            guard let limits = OpenFileLimit.shortfall(outputs: draws) else { return }
            let hard = limits.hard == Int.max ? "unlimited" : "\(limits.hard)"
            throw Failure(message: "--draws \(draws) needs \(draws) files open at once (one per draw, plus \(OpenFileLimit.reserve) for miri), "
                          + "but this system allows \(limits.soft) (ulimit -n; hard limit \(hard)): "
                          + "draw at most \(max(0, limits.soft - OpenFileLimit.reserve)) per run, use --average for their mean, or raise the limit",
                          status: ExitStatus.usage)
        }

        /// "131072 rows, 52,000 rows/s" for the live line.
        static func rate(_ rows: Int, since start: Stopwatch) -> String {
            "\(rows) rows, \(grouped(perSecond(rows, start.seconds))) rows/s"
        }

        static func perSecond(_ rows: Int, _ seconds: Double) -> Int {
            seconds > 0 ? Int((Double(rows) / seconds).rounded()) : 0
        }

        static func grouped(_ n: Int) -> String {
            let digits = String(n)
            var out = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return out
        }

        /// Ctrl-C was pressed; the batch in progress was finished first.
        struct Interrupted: Error {}

        func note(_ text: String) {
            if !quiet { Diagnostics.line("miri: \(text)") }
        }
    }
}
