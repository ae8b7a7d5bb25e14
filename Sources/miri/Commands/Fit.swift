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
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train MIRI (or MICE) on a CSV table and save the fitted model for `miri apply`.",
            discussion: """
                The model file holds the settings, the column names, the column scaling and the K \
                per-round velocity networks (format: docs/model-format.md). It is written to a \
                temporary file and renamed into place, so a failure never leaves half a model. \
                MIRI learns from the table's missing cells, so TRAIN must have some.

                --method mice fits chained equations instead and saves a MICE model (the column means, \
                the visiting order and every round's Bayesian ridge regressions; its own kind of file, \
                see docs/model-format.md). TRAIN may then be complete. --seed is the default seed of \
                `miri apply --draws`; the other MIRI flags do not apply.

                Column kinds are decided as `miri impute` decides them (same flags) and kept in the model \
                with the categories, so `miri apply` encodes and writes new tables the same way. \
                Training flags are those of `miri impute`. With --output the imputed training table \
                is written too: the same table `miri impute` with these flags writes.
                """
        )

        @Argument(help: ArgumentHelp("The table to train on, or - for standard input.", valueName: "TRAIN.csv"))
        var input: String

        @Option(help: ArgumentHelp("Where to write the fitted model.", valueName: "M.miri"))
        var model: String

        @Option(name: [.short, .long], help: ArgumentHelp("Also write the imputed training table here (- for standard output).", valueName: "OUT.csv"))
        var output: String?

        @Option(help: "The imputer to fit: miri or mice.")
        var method: FitMethod = .miri

        @OptionGroup(title: "MIRI options")
        var miri: MIRIOptions

        @OptionGroup(title: "Checkpoints")
        var checkpoints: CheckpointOptions

        @OptionGroup(title: "Column kinds")
        var kinds: ColumnKindOptions

        @OptionGroup var threading: ThreadsOption

        @OptionGroup var display: DisplayOptions

        func validate() throws {
            if model == "-" { throw ValidationError("--model needs a file name (the model is binary)") }
            if checkpoints.given && method != .miri { throw ValidationError("--checkpoint and --resume apply to --method miri only") }
        }

        func run() throws {
            let ranks = Ranks.start()
            if ranks.isParallel { runParallel(ranks) }
            let interruption = Interruption()
            interruption.install()
            if method == .mice { return fitMICE(interruption: interruption) }
            let source = input == "-" ? "<stdin>" : input
            var table: CSVTable?
            do {
                try checkOutputPaths()
                let prepared = try kinds.read(input: input, source: source, into: &table, note: note)
                let read = prepared.table
                if !prepared.hasMissingEncoded {
                    throw Self.nothingToLearn(source)
                }
                let start = Stopwatch()
                let training = MIRITraining(settings: settings, display: display, checkpoints: checkpoints,
                                            columnNames: prepared.schema.encodedNames, savesModel: true)
                let result = try prepared.fitting { try training.run($0, interruption: interruption) }
                var fitted = result.model
                let seconds = start.seconds
                if interruption.requested { throw ImputationError.cancelled(completedRounds: 0) }
                fitted.columnNames = prepared.schema.encodedNames
                fitted.schema = fittedSchema(prepared)
                let imputed = try output.map { _ in Data(try prepared.csvBytes(imputed: result.imputed, roundIntegers: !kinds.noRoundIntegers)) }
                let bytes = ModelFile.encode(fitted)
                try checkReadable(source: source) { _ = try ModelFile.decode(bytes, source: model) }
                try interruption.cooperating { try writeModel(Data(bytes), table: imputed) }
                training.finished()
                let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
                note("fitted \(miri.summary(settings.miriConfiguration, rows: read.values.rows, columns: read.values.cols)) on \(read.values.rows) rows x \(read.values.cols) columns "
                     + "(\(read.missingCount) missing cells) on \(threading.context.threads) thread(s) in \(String(format: "%.2f", seconds)) s "
                     + "-> \(model) (\(Self.bytes(size)))" + (output.map { $0 == "-" ? " and standard output" : " and \($0)" } ?? ""))
            } catch {
                Failure(error, source: source, table: table).exit()
            }
        }

        /// Writes the model file and, with --output, the imputed table: together or not at all.
        func writeModel(_ model: Data, table: Data?) throws {
            try TableOutput.write(model: model, to: self.model, table: table, tablePath: output == "-" ? nil : output)
        }

        /// Whatever `fit` writes, `apply` reads: the model's bytes are read back before they are
        /// written, and a model the reader would refuse is refused here (status 2, its reason),
        /// with nothing written.
        func checkReadable(source: String, _ decode: () throws -> Void) throws {
            do {
                try decode()
            } catch let error as ModelFileError {
                throw Failure(message: "\(source): the fitted model cannot be saved, as apply would refuse it: \(error.description)",
                              status: ExitStatus.badInput)
            }
        }

        /// Refuses (status 2) a --model or --output that is a directory or names none, before any work.
        func checkOutputPaths() throws {
            try OutputPath.check(model)
            if let output, output != "-" { try OutputPath.check(output) }
        }

        /// What the model keeps of the kinds: nil for a table of plain numbers (its file stays version 1).
        func fittedSchema(_ prepared: EncodedTable) -> FittedSchema? {
            FittedSchema.keeping(prepared.schema, roundIntegers: !kinds.noRoundIntegers)
        }

        /// Every method's settings as this command's flags give them.
        var settings: ImputationMethod.Settings {
            var settings = ImputationMethod.Settings(miri: miri, threads: threading)
            if method == .mice { settings.progress = display.miceRounds }
            return settings
        }

        func note(_ text: String) { display.note(text) }

        /// A table MIRI cannot fit on (status 2): no missing cell it sees.
        static func nothingToLearn(_ source: String) -> Failure {
            Failure(message: "\(source) has no missing cells; MIRI learns from the missing cells of the table it is fitted on", status: ExitStatus.badInput)
        }

        static func bytes(_ n: Int) -> String {
            n >= 1 << 20 ? String(format: "%.1f MB", Double(n) / 1_048_576) : String(format: "%.1f kB", Double(n) / 1024)
        }
    }
}
