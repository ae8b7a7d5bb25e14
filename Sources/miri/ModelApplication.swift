import Dispatch
import Foundation
import Imputation
import Linalg
import TableIO

/// `miri apply`'s engine: streams a CSV through a fitted model (MIRI or MICE) in row batches.
///
/// Each batch is read (`CSVReader`), imputed `draws` times, and written (`CSVWriter`) before the
/// next is read, so memory holds one batch (and its draws) whatever the file's length. Draw k
/// keeps one `RandomSource`, seeded `FittedMIRI.drawSeed(seed, draw: k)`, across all batches;
/// with batches a multiple of `batchRowMultiple` (MIRI: its ODE block rows) this makes the
/// output identical to imputing the whole table at once, and the single imputation identical to
/// `miri impute` on the training table when the seed is the fit's (see
/// `FittedMIRI.impute(_:random:)`). One imputation is the model's single one (MICE: its point
/// imputation); with `draws` > 1 each is a draw (`FittedImputer`).
struct ModelApplication {
    let model: any FittedImputer
    /// The model file's display name, for messages.
    let modelSource: String
    let draws: Int
    let average: Bool
    let seed: UInt64

    /// What a run did, for the summary line.
    struct Totals {
        var rows = 0
        var cells = 0
        var missing = 0
        var batches = 0
        var imputeSeconds = 0.0
    }

    /// Rows per batch: about 65,536, rounded down to a whole number of the model's batch multiple
    /// (MIRI's ODE blocks; at least one), or `requested` rounded the same way.
    static func batchRows(for model: any FittedImputer, requested: Int = 65_536) -> Int {
        let block = model.batchRowMultiple
        return max(1, requested / block) * block
    }

    /// Throws unless `header` is the model's columns, naming the first that differs.
    func checkColumns(_ header: [String], source: String) throws {
        let names = model.columnNames
        let list = names.map { " (\($0.map { "\"\($0)\"" }.joined(separator: ", ")))" } ?? ""
        if header.count != model.columns {
            throw Failure(message: "\(source): \(header.count) columns, but the model \(modelSource) was fitted on \(model.columns)\(list)",
                          status: ExitStatus.badInput)
        }
        if let names, let j = header.indices.first(where: { header[$0] != names[$0] }) {
            throw Failure(message: "\(source): column \(j + 1) is \"\(header[j])\", but the model \(modelSource) has \"\(names[j])\" there; "
                          + "the columns must be the model's, in its order\(list)", status: ExitStatus.badInput)
        }
    }

    /// Reads every batch of `reader`, writes the completed rows to `writers` (one per draw, or
    /// one for the average) and calls `afterBatch` after each (an error it throws stops the run).
    ///
    /// `shouldStop` is polled after every round of every draw; returning true stops the run
    /// with `MIRIError.cancelled` within one round's ODE over one batch.
    func run(_ reader: CSVReader, writers: [CSVWriter], current: inout CSVTable?, shouldStop: (() -> Bool)? = nil,
             afterBatch: (Totals) throws -> Void) throws -> Totals {
        precondition(writers.count == (average ? 1 : draws))
        var randoms = (1...draws).map { RandomSource(seed: FittedMIRI.drawSeed(seed, draw: $0)) }
        var totals = Totals()
        while let batch = try reader.nextBatch() {
            current = batch
            let start = DispatchTime.now()
            let completed = draws == 1
                ? [try model.transform(batch.values, random: &randoms[0], shouldStop: shouldStop).imputed]
                : try model.draws(batch.values, randoms: &randoms, shouldStop: shouldStop)
            let outputs = average ? [FittedMIRI.mean(of: completed, over: batch.values)] : completed
            totals.imputeSeconds += Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            for (writer, table) in zip(writers, outputs) { try writer.write(batch, imputed: table) }
            totals.rows += batch.values.rows
            totals.cells += batch.values.count
            totals.missing += batch.missingCount
            totals.batches += 1
            try afterBatch(totals)
        }
        return totals
    }
}
