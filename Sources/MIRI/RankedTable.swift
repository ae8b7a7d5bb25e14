import Flow
import Foundation
import Imputation
import Linalg
import TableIO

/// The table of `fit` or `impute` on P > 1 processes, as one rank holds it: a contiguous block
/// of its rows, encoded, to fit on (`MIRIImputer.fitAndImpute(block:communicator:)`), and how
/// this rank's share of the completed table is written.
///
/// A table of numbers is read in byte ranges (`TableShare`): no rank reads or holds the whole
/// file, and each writes its own rows. A table that cannot be split by bytes (text cells, kind
/// overrides, a `"` in the body) is read whole by every rank, which keeps the block it fits
/// on; rank 0 then writes every row.
package struct RankedTable {
    /// This rank's rows, encoded (NaN = missing).
    package let block: Matrix
    package let schema: TableSchema
    package let tableRows: Int
    package let columns: Int
    package let missingCount: Int
    /// Rows of the whole table before the first row of the table `read` hands back (the block's
    /// global index, or 0 for the whole file).
    package let rowsBeforeTable: Int
    /// The header row of the output, as bytes.
    package let header: [UInt8]
    /// The kinds line and the detection's notes, as one process prints them (a whole read only:
    /// a table of numbers with no override has none); rank 0 prints them.
    package let notes: [String]
    private let source: Source

    private enum Source {
        case share(CSVTable)
        case whole(EncodedTable)
    }

    /// Reads `input`'s share of every rank (collective; failures agreed).
    package static func read(input: String, overrides: KindOverrides, communicator: Communicator, agreement: FailureAgreement,
                             table: inout CSVTable?) throws -> RankedTable {
        // Its last checks (rows, observed values) throw on every rank alike, outside its own agreements.
        let share = try agreement.agreed {
            try TableShare.read(path: input, overrides: overrides, communicator: communicator, agreement: agreement)
        }
        if let share {
            table = share.block
            var header: [UInt8] = []
            share.block.appendHeader(to: &header)
            let encoded = share.schema.encode(share.block.mixedTable()).matrix
            return RankedTable(block: encoded, schema: share.schema, tableRows: share.tableRows, columns: share.block.values.cols,
                               missingCount: share.missingCount, rowsBeforeTable: share.firstRow, header: header, notes: [], source: .share(share.block))
        }
        return try agreement.agreed {
            let whole = try EncodedTable.read(input: input, source: input, overrides: overrides, into: &table)
            var header: [UInt8] = []
            whole.table.appendHeader(to: &header)
            return RankedTable(block: whole.block(rank: communicator.rank, of: communicator.size), schema: whole.schema,
                               tableRows: whole.encoded.rows, columns: whole.table.values.cols, missingCount: whole.table.missingCount,
                               rowsBeforeTable: 0, header: header, notes: whole.notes, source: .whole(whole))
        }
    }

    /// Runs `body` (the split fit) on this rank's block; an imputation beyond Float's range
    /// names its row as the table `read` handed back counts it (the block, or the whole file),
    /// so the message gives the file's line, and every error names the table's columns.
    package func fitting<T>(_ body: (Matrix) throws -> T) throws -> T {
        try schema.mappingColumns(rowsBefore: rowsBeforeTable) { try body(block) }
    }

    /// Whether the encoded table (every rank's block) has a missing cell MIRI can learn from.
    package func hasMissingEncoded(_ communicator: Communicator) -> Bool {
        communicator.sum([block.storage.contains { $0.isNaN } ? 1 : 0])[0] > 0
    }

    /// This rank's rows of the completed table as CSV bytes (no header), given its block
    /// completed; for a table read whole, rank 0 gathers every block and writes all rows.
    /// Collective.
    package func completedRows(_ imputed: Matrix, roundIntegers: Bool, communicator: Communicator) throws -> [UInt8] {
        switch source {
        case let .share(rows):
            return try rows.csvBytes(completion: schema.decode(imputed, for: rows.mixedTable(), roundIntegers: roundIntegers),
                                     includeHeader: false)
        case let .whole(whole):
            let parts = communicator.gather(imputed.storage.withUnsafeBytes { Array($0) }, root: 0)
            guard communicator.rank == 0 else { return [] }
            let storage = parts.flatMap { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
            return try whole.csvBytes(imputed: Matrix(rows: tableRows, cols: block.cols, storage: storage), roundIntegers: roundIntegers,
                                      includeHeader: false)
        }
    }
}
