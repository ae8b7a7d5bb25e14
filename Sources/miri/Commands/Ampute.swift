import Evaluation
import ArgumentParser
import Foundation
import Imputation
import Linalg
import TableIO
import MIRI

extension MissingnessMechanism: ExpressibleByArgument {}

extension Miri {
    /// `miri ampute`: blank cells of a complete table with one of the benchmark's mechanisms, so
    /// an imputer can be scored against the cells it did not see.
    struct Ampute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Blank cells of a complete CSV table under MCAR, MAR or MNAR (the benchmark's masks).",
            discussion: """
                The masks are those of BENCHMARK.md and ../shared/reference/masks.py, bit for bit: mcar \
                (each cell missing when its uniform < p), mar (30% of the columns, at least one, never \
                missing; the others logistic in them), mnar (mar, then the input columns missing at rate \
                p), mnar-self (each column logistic in its own values: large values go missing). One \
                SplitMix64 stream seeded with --seed draws everything.

                The output has the input's header and rows; kept cells keep their exact text, blanked \
                cells are empty. Standard error states the realized missing rate and the mask's \
                sha256/16 digest, the one masks.py prints. A missing cell in the input is bad input \
                (exit status 2, nothing written).
                """
        )

        @Argument(help: ArgumentHelp("The complete CSV table, or - for standard input.", valueName: "COMPLETE.csv"))
        var input: String

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write the table with blanks (default: standard output).",
                                                          valueName: "MASKED.csv"))
        var output: String?

        @Option(help: "How cells go missing.")
        var mechanism: MissingnessMechanism

        @Option(help: ArgumentHelp("p, between 0 and 1: the missing rate (mar: of the non-input columns).", valueName: "p"))
        var rate: Double

        @Option(help: "Seed of the SplitMix64 stream every draw comes from.")
        var seed: UInt64 = 0

        @Flag(help: "Print nothing on standard error but errors.")
        var quiet = false

        func validate() throws {
            if !(rate > 0 && rate < 1) { throw ValidationError("--rate must be between 0 and 1, exclusive (got \(rate))") }
        }

        func run() throws {
            let interruption = Interruption()
            interruption.install()
            let source = input == "-" ? "<stdin>" : input
            var table: CSVTable?
            do {
                if let output, output != "-" { try OutputPath.check(output) }
                let read = input == "-" ? try CSVTable.readStandardInput(source: source) : try CSVTable.read(path: input)
                table = read
                try read.requireComplete(source: source)
                let observed = mechanism.observed(complete: read.doubleValues(), rows: read.values.rows,
                                                  cols: read.values.cols, rate: rate, seed: seed)
                let data = Data(read.csvBytes(blanking: observed))
                // A failed stdout write is status 1, not a trap; Ctrl-C while writing stops with 130, nothing left.
                try interruption.cooperating {
                    try TableOutput.write(data, to: output == "-" ? nil : output, stoppingWhen: { interruption.requested })
                }
                let missing = observed.storage.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
                note("ampute \(mechanism.rawValue): \(missing) of \(observed.count) entries missing "
                     + "(\(String(format: "%.4f", Double(missing) / Double(observed.count)))), "
                     + "mask sha256/16 \(MaskDigest.digest(observed: observed))")
                warnAboutEmptyColumns(observed, header: read.header)
            } catch {
                Failure(error, source: source, table: table).exit()
            }
        }

        /// Names the columns left with no value: `miri impute` refuses them.
        func warnAboutEmptyColumns(_ observed: Matrix, header: [String]) {
            let empty = (0..<observed.cols).filter { j in (0..<observed.rows).allSatisfy { observed[$0, j] == 0 } }
            guard !empty.isEmpty else { return }
            let names = empty.map { "\($0 + 1) (\"\(header[$0])\")" }.joined(separator: ", ")
            note("warning: every cell of column(s) \(names) is blank; an imputer has nothing to learn them from")
        }

        func note(_ text: String) {
            if !quiet { Diagnostics.line("miri: \(text)") }
        }
    }
}
