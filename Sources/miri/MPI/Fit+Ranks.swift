import Linalg
import Cluster
import Dispatch
import Foundation
import Imputation
import MIRI
import ModelStore
import TableIO

extension Miri.Fit {
    /// `fit` as one of P > 1 processes (`mpirun -np P miri fit …`): each rank reads its share of
    /// the table (`RankedTable`), the fit is split over the ranks
    /// (`MIRIImputer.fitAndImpute(block:communicator:)`), and rank 0 writes the model (today's
    /// format) and, with --output, joins the ranks' parts of the imputed table beside it.
    func runParallel(_ ranks: Ranks) -> Never {
        var me = self
        if !ranks.isRoot { me.display.quiet = true }
        let source = input
        var table: CSVTable?
        let destination = output.flatMap { $0 == "-" ? nil : $0 }
        do {
            try ranks.agreed(source: source) { try ranks.checkSupported(command: "fit", method: method.rawValue, input: input); try checkOutputPaths() }
            let readStart = Stopwatch()
            let ranked = try RankedTable.read(input: input, overrides: kinds.overrides, communicator: ranks.communicator,
                                              agreement: Ranks.Agreement(ranks: ranks, source: input), table: &table)
            let readSeconds = readStart.seconds
            try ranks.agreed(source: source, table: table) {
                ranked.notes.forEach(me.note)
                if !ranked.hasMissingEncoded(ranks.communicator) {
                    throw Self.nothingToLearn(source)
                }
                try ranks.checkRows(ranked.tableRows, source: source)
            }
            let start = Stopwatch()
            let result = try ranks.agreed(source: source, table: table) {
                var training = MIRITraining(settings: settings, display: me.display, checkpoints: checkpoints,
                                            columnNames: ranked.schema.encodedNames, savesModel: true)
                training.ranks = ranks
                return try ranked.fitting { try training.runParallel(block: $0, tableRows: ranked.tableRows) }
            }
            let seconds = start.seconds
            let writeStart = Stopwatch()
            var parts: RankParts.Staged?
            if output != nil {
                let rows = try ranks.agreed(source: source, table: table) {
                    try ranked.completedRows(result.imputed, roundIntegers: !kinds.noRoundIntegers, communicator: ranks.communicator)
                }
                parts = try ranks.stageParts(rows, for: destination, source: source)
            }
            try ranks.agreed(source: source, table: table) {
                guard ranks.isRoot else { return }
                var fitted = result.model
                fitted.columnNames = ranked.schema.encodedNames
                fitted.schema = FittedSchema.keeping(ranked.schema, roundIntegers: !kinds.noRoundIntegers)
                let bytes = ModelFile.encode(fitted)
                try checkReadable(source: source) { _ = try ModelFile.decode(bytes, source: model) }
                let encoded = Data(bytes)
                try AtomicFile.write(to: [model] + (destination.map { [$0] } ?? [])) { handles in
                    try TableOutput.write(encoded, to: handles[0], named: model)
                    if let parts {
                        try RankParts.join(parts, header: ranked.header, into: destination == nil ? .standardOutput : handles[1],
                                            named: destination ?? "standard output")
                    }
                }
            }
            let outputs: String = output.map { $0 == "-" ? " and standard output" : " and \($0)" } ?? ""
            let reduces: String = Cluster.reduceSummary(ranks.communicator).map { "; rank 0: \($0)" } ?? ""
            let what = "fitted \(miri.summary(result.model.configuration, rows: ranked.tableRows, columns: ranked.columns)) on \(ranked.tableRows) rows x \(ranked.columns) columns "
            let cells = "(\(ranked.missingCount) missing cells) on \(ranks.size) processes x \(threading.context.threads) thread(s) "
            let times = "(reading \(String(format: "%.2f", readSeconds)) s, writing \(String(format: "%.2f", writeStart.seconds)) s\(reduces))"
            parts?.remove()
            me.note(what + cells + "in \(String(format: "%.2f", seconds)) s -> \(model)" + outputs + " " + times)
            Foundation.exit(ExitStatus.success)
        } catch {
            if let destination { try? FileManager.default.removeItem(atPath: RankParts.path(destination, rank: ranks.rank)) }
            ranks.exit(error, source: source, table: table)
        }
    }
}
