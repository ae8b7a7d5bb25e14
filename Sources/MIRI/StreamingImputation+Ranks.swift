import Dispatch
import Flow
import Foundation
import Imputation
import Linalg
import TableIO

/// A stream completed by P processes at once: every rank reads the whole stream, completes the
/// batches dealt to it (batch b to rank b mod P) and writes their rows to a part file of its
/// own; rank 0 then joins the parts in batch order into each output.
///
/// The output is bit for bit that of one process: the batches are whole ODE blocks, and a rank
/// moves each draw's generator past the noise of the batches it does not complete
/// (`RandomSource.skipNormals`), so every batch gets the noise it gets in one process.
extension StreamingImputation {
    /// What a rank's share of the stream came to: the stream's totals, its batch count, the
    /// outputs' header and, per output, the byte count of each batch this rank wrote.
    package struct RankShare {
        /// What this rank read (every row of the stream) and completed.
        package var totals = Totals()
        /// Batches in the stream.
        package var batches = 0
        /// Per output: the byte count of each batch this rank wrote to its part, in order.
        package var lengths: [[Int]]
        /// The header row of the outputs, as bytes.
        package var header: [UInt8] = []
    }

    /// On rank 0, every rank's part of each output (collective): per output, the ranks' part
    /// file names and the byte count of each batch in them, in rank order (empty elsewhere).
    package static func gatherParts(_ share: RankShare, partNames: [String], communicator: Communicator)
        -> (names: [[String]], lengths: [[[Int]]]) {
        let lengths = share.lengths.map { lengths in
            communicator.gather(lengths.withUnsafeBytes { Array($0) }, root: 0)
                .map { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Int.self)) } }
        }
        let names = partNames.map { name in communicator.gather(Array(name.utf8), root: 0).map { String(decoding: $0, as: UTF8.self) } }
        return (names, lengths)
    }

    /// Reads all of `reader`, completes and writes to `parts` (one handle per output) the
    /// batches of rank `rank` of `size`. Throws `ModelMismatch` before reading a row if the
    /// header does not fit; the model must be a MIRI model (the noise of other ranks' batches is
    /// skipped by counting its normals).
    package func runShare(_ reader: CSVReader, parts: [FileHandle], partNames: [String], rank: Int, size: Int,
                          current: inout CSVTable?) throws -> RankShare {
        precondition(parts.count == outputs && model is FittedMIRI, "one part per output, a MIRI model")
        if let mismatch = mismatch(header: reader.header) { throw mismatch }
        var randoms = MultipleDraws.generators(count: draws, seed: seed)
        var share = RankShare(lengths: Array(repeating: [], count: outputs))
        while let batch = try reader.nextBatch() {
            current = batch
            if share.batches == 0 { batch.appendHeader(to: &share.header) }
            defer { share.batches += 1 }
            share.totals.rows += batch.values.rows
            share.totals.cells += batch.values.count
            share.totals.missing += batch.missingCount
            if share.batches % size != rank {
                let normals = try noiseCount(batch)
                for k in randoms.indices { randoms[k].skipNormals(normals) }
                continue
            }
            let start = Stopwatch()
            var rows: [[UInt8]]
            if let schema = model.schema {
                let (mixed, unseen) = try completeMixed(batch, schema: schema, source: reader.source, randoms: &randoms, shouldStop: nil)
                rows = mixed
                share.totals.unseenCategories += unseen
            } else {
                rows = try complete(batch.values, randoms: &randoms, shouldStop: nil).map { try batch.csvBytes(imputed: $0, includeHeader: false) }
            }
            share.totals.imputeSeconds += start.seconds
            for k in rows.indices {
                do { try parts[k].write(contentsOf: rows[k]) } catch { throw FileWriteError(path: partNames[k], underlying: error) }
                share.lengths[k].append(rows[k].count)
            }
            share.totals.batches += 1
        }
        return share
    }

    /// The normals a MIRI transform of `batch` draws from each generator: one per missing
    /// entry of the table the model sees (for a model with a schema, the encoded one).
    func noiseCount(_ batch: CSVTable) throws -> Int {
        guard let schema = model.schema else { return batch.missingCount }
        let kinds = schema.table.kinds
        let categorical = Set(kinds.indices.filter { kinds[$0] == .categorical }.map { schema.table.names[$0] })
        let (encoded, _) = schema.table.encode(batch.mixedTable(categorical: categorical))
        return encoded.storage.reduce(0) { $1.isNaN ? $0 + 1 : $0 }
    }

    /// Rank 0's join: the header, then batch b's bytes from part b mod P, for `batches` batches.
    /// `lengths[r]` are rank r's batch byte counts for this output, `parts[r]` its part file.
    package static func join(header: [UInt8], parts: [String], lengths: [[Int]], batches: Int, into output: FileHandle,
                             named name: String) throws {
        let inputs = try parts.map { path in
            guard let handle = FileHandle(forReadingAtPath: path) else { throw FileWriteError(path: path, reason: "cannot read this rank's part") }
            return handle
        }
        defer { for handle in inputs { try? handle.close() } }
        func put(_ bytes: Data) throws {
            do { try output.write(contentsOf: bytes) } catch { throw FileWriteError(path: name, underlying: error) }
        }
        try put(Data(header))
        let size = parts.count
        for b in 0..<batches {
            let r = b % size, length = lengths[r][b / size]
            let bytes = try inputs[r].read(upToCount: length) ?? Data()
            if bytes.count != length { throw FileWriteError(path: parts[r], reason: "the part is shorter than its rank wrote") }
            try put(bytes)
        }
    }
}
