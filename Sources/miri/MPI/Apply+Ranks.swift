import Linalg
import Dispatch
import Foundation
import Imputation
import MIRI
import ModelStore
import TableIO

extension Miri.Apply {
    /// `apply` as one of P > 1 processes (`mpirun -np P miri apply …`): every rank reads the
    /// table, completes its batches (batch b: rank b mod P) into a part file beside the output,
    /// and rank 0 joins the parts in input order into the output, atomically. The output is
    /// bit for bit that of one process with the same seed and threads.
    func runParallel(_ ranks: Ranks) -> Never {
        let source = input
        var current: CSVTable?
        var partNames: [String] = []
        do {
            let (application, reader, paths) = try ranks.agreed(source: source) { () throws -> (ModelApplication, CSVReader, [String]) in
                guard input != "-" else {
                    throw Failure(message: "under mpirun with several processes the table must be a file (each process reads it), not standard input",
                                  status: ExitStatus.usage)
                }
                guard let destination = output, destination != "-" else {
                    throw Failure(message: "under mpirun with several processes give --output OUT.csv (the processes' parts are joined into it)",
                                  status: ExitStatus.usage)
                }
                try checkOutputPaths()
                if draws > 1 && !average { try Self.checkOpenFileLimit(draws: draws) }
                var fitted = try FittedModelFile.read(path: model)
                guard fitted is FittedMIRI else {
                    throw Failure(message: "\(model) is a MICE model; under mpirun with several processes `miri apply` takes MIRI models",
                                  status: ExitStatus.usage)
                }
                fitted.compute = threading.context
                let application = ModelApplication(stream: StreamingImputation(model: fitted, draws: draws, average: average, seed: seed),
                                                   modelSource: model)
                // Smaller batches than one process's, so that the batches deal evenly over the ranks.
                let rows = StreamingImputation.batchRows(for: fitted, requested: min(batchRows, Self.parallelBatchRows))
                let reader = try CSVReader(path: input, batchRows: rows, allowText: application.stream.readsText)
                try application.checkColumns(reader.header, source: source)
                let paths = draws > 1 && !average ? (1...draws).map { ApplyOutputs.drawPath(destination, draw: $0) } : [destination]
                return (application, reader, paths)
            }
            partNames = paths.map { RankParts.path($0, rank: ranks.rank) }
            defer { for name in partNames { try? FileManager.default.removeItem(atPath: name) } }

            let start = Stopwatch()
            // Kept open until rank 0 has joined: their locks mark them as a live run's (RankParts.Staged).
            var handles: [FileHandle] = []
            defer { for handle in handles { try? handle.close() } }
            let share = try ranks.agreed(source: source) { () throws -> StreamingImputation.RankShare in
                do {
                    handles = try partNames.map(RankParts.create)
                    let share = try application.stream.runShare(reader, parts: handles, partNames: partNames, rank: ranks.rank,
                                                                size: ranks.size, current: &current)
                    try ranks.checkRows(share.totals.rows, source: source)
                    for (k, handle) in handles.enumerated() {      // on disk before rank 0, maybe on another machine, reads it
                        do { try handle.synchronize() } catch { throw FileWriteError(path: partNames[k], underlying: error) }
                    }
                    return share
                } catch let error as Failure {
                    throw error
                } catch {
                    throw Failure(error, source: source, table: current)
                }
            }
            let partsDone = Stopwatch()
            // Rank 0 learns every rank's batch lengths, then joins.
            let (allParts, gathered) = StreamingImputation.gatherParts(share, partNames: partNames, communicator: ranks.communicator)
            let unseen = ranks.communicator.sum([Double(share.totals.unseenCategories)])[0]
            try ranks.agreed(source: source) {
                guard ranks.isRoot else { return }
                try ApplyOutputs.withHandles(paths) { handles in
                    for k in paths.indices {
                        try StreamingImputation.join(header: share.header, parts: allParts[k], lengths: gathered[k],
                                                     batches: share.batches, into: handles[k], named: paths[k])
                    }
                }
            }
            if ranks.isRoot {
                if unseen > 0 {
                    note("\(Int(unseen)) observed cell(s) hold a category the model never saw; "
                         + "kept as written, and treated as missing in the imputation's inputs")
                }
                let written = paths.count == 1 ? paths[0] : "\(paths.first!) ... \(paths.last!)"
                let what = draws == 1 ? "" : average ? ", mean of \(draws) draws" : ", \(draws) draws"
                let seconds = start.seconds
                let t = share.totals
                note("applied \(model) to \(source): \(t.rows) rows, \(t.missing) of \(t.cells) cells imputed\(what) "
                     + "(seed \(application.seed), \(ranks.size) processes x \(threading.context.threads) thread(s)) in "
                     + "\(String(format: "%.2f", seconds)) s: \(Self.grouped(Self.perSecond(t.rows, seconds))) rows/s "
                     + "(rank 0: imputation \(String(format: "%.2f", t.imputeSeconds)) s, reading and its part "
                     + "\(String(format: "%.2f", start.seconds - partsDone.seconds - t.imputeSeconds)) s, "
                     + "joining \(String(format: "%.2f", partsDone.seconds)) s) -> \(written)")
            }
            for name in partNames { try? FileManager.default.removeItem(atPath: name) }
            Foundation.exit(ExitStatus.success)
        } catch {
            for name in partNames { try? FileManager.default.removeItem(atPath: name) }
            ranks.exit(error, source: source, table: current)
        }
    }

    /// Rows per batch under mpirun: small enough that a table's batches deal evenly over the ranks.
    static let parallelBatchRows = 8192
}
