import Dispatch
import Foundation
import Imputation
import Linalg
import MIRI
import TableIO

extension Miri.Impute {
    /// `impute` as one of P > 1 processes (`mpirun -np P miri impute …`, MIRI only): each rank
    /// reads its share of the table (`RankedTable`), the fit is split over the ranks, and rank 0
    /// joins the ranks' parts of the imputed table into the output, atomically.
    func runParallel(_ ranks: Ranks) -> Never {
        var me = self
        if !ranks.isRoot { me.display.quiet = true }
        let source = input
        let destination = output.flatMap { $0 == "-" ? nil : $0 }
        var table: CSVTable?
        do {
            try ranks.agreed(source: source) { try ranks.checkSupported(command: "impute", method: method.rawValue, input: input); try checkOutputPath() }
            let ranked = try RankedTable.read(input: input, overrides: kinds.overrides, communicator: ranks.communicator,
                                              agreement: Ranks.Agreement(ranks: ranks, source: input), table: &table)
            try ranks.agreed(source: source, table: table) {
                ranked.notes.forEach(me.note)
                try ranks.checkRows(ranked.tableRows, source: source)
            }
            let start = Stopwatch()
            let missing = ranked.hasMissingEncoded(ranks.communicator)
            let imputed = try ranks.agreed(source: source, table: table) { () throws -> Matrix in
                guard missing else { return ranked.block }
                var training = me.training(header: ranked.schema.encodedNames)
                training.ranks = ranks
                return try ranked.fitting { try training.runParallel(block: $0, tableRows: ranked.tableRows) }.imputed
            }
            let seconds = start.seconds
            let rows = try ranks.agreed(source: source, table: table) {
                try ranked.completedRows(imputed, roundIntegers: !kinds.noRoundIntegers, communicator: ranks.communicator)
            }
            let parts = try ranks.stageParts(rows, for: destination, source: source)
            try ranks.agreed(source: source, table: table) {
                guard ranks.isRoot else { return }
                if let destination {
                    try AtomicFile.write(to: [destination]) { handles in
                        try RankParts.join(parts, header: ranked.header, into: handles[0], named: destination)
                    }
                } else {
                    try RankParts.join(parts, header: ranked.header, into: .standardOutput, named: "standard output")
                }
            }
            parts.remove()
            let cells = ranked.tableRows * ranked.columns
            let share = 100 * Double(ranked.missingCount) / Double(max(1, cells))
            me.note("imputed \(ranked.missingCount) of \(cells) cells (\(String(format: "%.1f", share))%; "
                    + "\(ranked.tableRows) rows x \(ranked.columns) columns) with \(methodDescription(rows: ranked.tableRows, encodedColumns: ranked.schema.encodedNames.count)) on "
                    + "\(ranks.size) processes x \(threading.context.threads) thread(s) in \(String(format: "%.2f", seconds)) s -> \(destination ?? "standard output")")
            Foundation.exit(ExitStatus.success)
        } catch {
            if let destination { try? FileManager.default.removeItem(atPath: RankParts.path(destination, rank: ranks.rank)) }
            ranks.exit(error, source: source, table: table)
        }
    }
}
