import Cluster
import Dispatch
import Foundation
import Imputation
import ModelStore
import TableIO

extension Miri.Fit {
    /// `fit` as one of P > 1 processes (`mpirun -np P miri fit …`): every rank reads the table,
    /// the fit is split over the ranks (`MIRIImputer.fitAndImpute(_:communicator:)`), and rank 0
    /// writes the model (today's format) and, with --output, the imputed table.
    func runParallel(_ ranks: Ranks) -> Never {
        var me = self
        if !ranks.isRoot { me.quiet = true }
        let source = input
        var table: CSVTable?
        do {
            let prepared = try ranks.agreed(source: source) { () throws -> Prepared in
                try ranks.checkSupported(command: "fit", method: method.rawValue, input: input)
                do {
                    let prepared = try me.prepare(source: source, table: &table)
                    if !prepared.encoded.storage.contains(where: { $0.isNaN }) {
                        throw Failure(message: "\(source) has no missing cells; MIRI learns from the missing cells of the table it is fitted on",
                                      status: ExitStatus.badInput)
                    }
                    try ranks.checkRows(prepared.encoded.rows, source: source)
                    return prepared
                } catch let error as Failure { throw error } catch { throw Failure(error, source: source, table: table) }
            }
            let start = DispatchTime.now()
            let result = try ranks.agreed(source: source, table: table) {
                var training = MIRITraining(configuration: miri.configuration, live: progress || Diagnostics.isTerminal, quiet: me.quiet,
                                            checkpoints: checkpoints, columnNames: prepared.schema.encodedNames, savesModel: true,
                                            compute: threading.context)
                training.ranks = ranks
                return try training.run(prepared.encoded, interruption: Interruption())
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            try ranks.agreed(source: source, table: table) {
                guard ranks.isRoot else { return }
                var fitted = result.model
                fitted.columnNames = prepared.schema.encodedNames
                fitted.schema = fittedSchema(prepared)
                let imputed = try output.map { _ in try outputData(prepared, imputed: result.imputed) }
                try writeModel(Data(ModelFile.encode(fitted)), table: imputed)
            }
            let read = prepared.table
            let outputs: String = output.map { $0 == "-" ? " and standard output" : " and \($0)" } ?? ""
            let reduces: String = Cluster.reduceSummary(ranks.communicator).map { " (rank 0: \($0))" } ?? ""
            let what = "fitted \(miri.summary(rows: read.values.rows)) on \(read.values.rows) rows x \(read.values.cols) columns "
            let cells = "(\(read.missingCount) missing cells) on \(ranks.size) processes x \(threading.context.threads) thread(s) "
            me.note(what + cells + "in \(String(format: "%.2f", seconds)) s -> \(model)" + outputs + reduces)
            Foundation.exit(ExitStatus.success)
        } catch {
            ranks.exit(error, source: source, table: table)
        }
    }
}
