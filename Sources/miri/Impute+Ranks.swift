import Dispatch
import Foundation
import Imputation
import Linalg
import TableIO

extension Miri.Impute {
    /// `impute` as one of P > 1 processes (`mpirun -np P miri impute …`, MIRI only): every rank
    /// reads the table, the fit is split over the ranks, and rank 0 writes the imputed table.
    func runParallel(_ ranks: Ranks) -> Never {
        var me = self
        if !ranks.isRoot { me.quiet = true }
        let source = input
        let destination = output.flatMap { $0 == "-" ? nil : $0 }
        var table: CSVTable?
        do {
            let (read, detected) = try ranks.agreed(source: source) { () throws -> (CSVTable, (schema: TableSchema, notes: [String], table: MixedTable)) in
                try ranks.checkSupported(command: "impute", method: method.rawValue, input: input)
                do {
                    let (read, detected) = try kinds.readAndDetect(input: input, source: source, into: &table, note: me.note)
                    try ranks.checkRows(read.values.rows, source: source)
                    return (read, detected)
                } catch let error as Failure { throw error } catch { throw Failure(error, source: source, table: table) }
            }
            let start = DispatchTime.now()
            let encoded = detected.schema.encode(detected.table).matrix
            let imputed = try ranks.agreed(source: source, table: table) { () throws -> Matrix in
                guard encoded.storage.contains(where: { $0.isNaN }) else { return encoded }
                var training = me.training(header: detected.schema.encodedNames)
                training.ranks = ranks
                return try training.run(encoded, interruption: Interruption()).imputed
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            try ranks.agreed(source: source, table: table) {
                guard ranks.isRoot else { return }
                let data: Data
                if !read.hasMissing {
                    data = read.textCells.isEmpty ? try read.csvData(imputed: read.values) : Data(read.csvBytes { _, _ in nil })
                } else {
                    let completion = detected.schema.decode(imputed, for: detected.table, roundIntegers: !kinds.noRoundIntegers)
                    data = Data(try read.csvBytes(completion: completion))
                }
                try TableOutput.write(data, to: destination)
            }
            let share = 100 * Double(read.missingCount) / Double(max(1, read.values.count))
            me.note("imputed \(read.missingCount) of \(read.values.count) cells (\(String(format: "%.1f", share))%; "
                    + "\(read.values.rows) rows x \(read.values.cols) columns) with \(methodDescription(rows: read.values.rows)) on "
                    + "\(ranks.size) processes x \(threading.context.threads) thread(s) in \(String(format: "%.2f", seconds)) s -> \(destination ?? "standard output")")
            Foundation.exit(ExitStatus.success)
        } catch {
            ranks.exit(error, source: source, table: table)
        }
    }
}
