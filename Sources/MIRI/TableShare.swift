import Flow
import Foundation
import Imputation
import Linalg
import TableIO

/// One rank's share of a table of numbers read by P processes at once (`mpirun`): its rows
/// (a contiguous block of the file, read from its own byte range: `CSVByteShare`) and what
/// belongs to the whole table — the column kinds, the row count, where the block starts.
///
/// Kinds need the whole table: a column is an integer column when every observed value in
/// every block is an integer (an all-reduced minimum); a column with no observed value in any
/// block is refused as a whole-file read refuses it. Tables with text cells (categories,
/// identifiers), kind overrides, or a `"` in the body are not split: `read` returns nil and the
/// caller reads the file whole on every rank, as categories and their order need every row.
package struct TableShare {
    /// This rank's rows, as read (observed cells are written back from their text).
    package let block: CSVTable
    /// The kinds of the whole table (numbers only: numeric or integer columns).
    package let schema: TableSchema
    /// The whole table's rows, and the global index of this block's first row.
    package let tableRows: Int
    package let firstRow: Int
    /// The whole table's missing cells.
    package let missingCount: Int

    /// Reads rank `communicator.rank`'s share of the CSV file at `path`; nil when the file must
    /// be read whole (see the type's note). Every rank calls it; `agreement` makes a failure on one
    /// rank every rank's.
    package static func read(path: String, overrides: KindOverrides, communicator comm: Communicator,
                             agreement: FailureAgreement) throws -> TableShare? {
        if !overrides.isEmpty { return nil }
        let share = try agreement.agreed { try CSVByteShare(path: path, rank: comm.rank, size: comm.size) }
        let probes = comm.allGather(share.probe.fields).map { CSVByteShare.Probe(fields: $0) }
        let read = try agreement.agreed { try share.read(probes: probes, allowText: true) }
        guard let block = read else { return nil }          // the same on every rank: a quote in some range
        if comm.sum([block.textCells.isEmpty ? 0 : 1])[0] > 0 { return nil }

        let perRank = comm.allGather([block.values.rows, block.missingCount])     // rows, missing cells
        let rows = perRank.map { $0[0] }
        let n = rows.reduce(0, +), d = block.values.cols
        if n == 0 { throw share.noDataRows }
        var counts = [Double](repeating: 0, count: d), integral = [Double](repeating: 1, count: d)
        for (k, v) in block.values.storage.enumerated() where !v.isNaN {
            counts[k % d] += 1
            if v.rounded() != v { integral[k % d] = 0 }
        }
        counts = comm.sum(counts)
        integral = comm.minimum(integral)
        if let j = counts.firstIndex(of: 0) {
            let lastLine = -Int(comm.minimum([block.values.rows > 0 ? -Double(block.line(ofRow: block.values.rows - 1)) : -1])[0])
            throw CSVError(.columnWithoutObservedValue(rows: n, lines: share.firstDataLine...max(share.firstDataLine, lastLine)),
                           source: path, column: j + 1, columnName: block.header[j])
        }
        let kinds: [ColumnKind] = integral.map { $0 == 1 ? .integer : .numeric }
        let stds = Standardization(fittingBlocks: block.values, communicator: comm).stds
        let schema = TableSchema(names: block.header, kinds: kinds, categories: kinds.map { _ in [] },
                                 oneHotScale: TableSchema.oneHotScale(stds: stds, kinds: kinds))
        return TableShare(block: block, schema: schema, tableRows: n, firstRow: rows[..<comm.rank].reduce(0, +),
                          missingCount: perRank.reduce(0) { $0 + $1[1] })
    }
}
