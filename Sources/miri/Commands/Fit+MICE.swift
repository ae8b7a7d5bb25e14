import Dispatch
import Foundation
import Imputation
import Linalg
import ModelStore
import TableIO

extension Miri.Fit {
    /// `miri fit --method mice`: fits chained equations on TRAIN and saves the MICE model, with
    /// the imputed table when --output is given (the table `miri impute --method mice` writes).
    func fitMICE(interruption: Interruption) {
        let source = input == "-" ? "<stdin>" : input
        var table: CSVTable?
        do {
            if !miri.givenFlags.isEmpty { note("\(miri.givenFlags.joined(separator: ", ")) do(es) not apply to --method mice; ignored") }
            try checkOutputPaths()
            let prepared = try kinds.read(input: input, source: source, into: &table, note: note)
            let read = prepared.table
            let start = Stopwatch()
            let imputer = settings.miceImputer()
            var (fitted, imputed) = try prepared.fitting { try imputer.fitAndImpute($0) }
            let seconds = start.seconds
            fitted.columnNames = prepared.schema.encodedNames
            fitted.schema = fittedSchema(prepared)
            let data = try output.map { _ in Data(try prepared.csvBytes(imputed: imputed, roundIntegers: !kinds.noRoundIntegers)) }
            let bytes = MICEModelFile.encode(fitted)
            try checkReadable(source: source) { _ = try MICEModelFile.decode(bytes, source: model) }
            try interruption.cooperating { try writeModel(Data(bytes), table: data) }
            let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
            let stop = (fitted.converged ? "stopped on its tolerance" : "no early stop")
                + (fitted.nearestFeatures.map { ", \($0) nearest features of \(fitted.columns - 1) per regression" } ?? "")
            note("fitted mice (\(fitted.roundsRun) rounds, \(stop)) on \(read.values.rows) rows x \(read.values.cols) columns "
                 + "(\(read.missingCount) missing cells) on \(threading.context.threads) thread(s) in \(String(format: "%.2f", seconds)) s "
                 + "-> \(model) (\(Self.bytes(size)))" + (output.map { $0 == "-" ? " and standard output" : " and \($0)" } ?? ""))
        } catch {
            Failure(error, source: source, table: table).exit()
        }
    }
}
