import Flow
import Foundation
import Imputation
import Linalg
import MIRI
import TableIO

/// The table of `fit` or `impute` on P > 1 processes, as one rank holds it: a contiguous block
/// of its rows, encoded, to fit on (`MIRIImputer.fitAndImpute(block:communicator:)`), and how
/// this rank's share of the completed table is written.
///
/// A table of numbers is read in byte ranges (`TableShare`): no rank reads or holds the whole
/// file, and each writes its own rows. A table that cannot be split by bytes (text cells, kind
/// overrides, a `"` in the body) is read whole by every rank, which keeps the block it fits
/// on; rank 0 then writes every row.
struct RankedTable {
    /// This rank's rows, encoded (NaN = missing).
    let block: Matrix
    let schema: TableSchema
    let tableRows: Int
    let columns: Int
    let missingCount: Int
    /// Rows of the whole table before the first row of the table `read` hands back (the block's
    /// global index, or 0 for the whole file).
    let rowsBeforeTable: Int
    /// The header row of the output, as bytes.
    let header: [UInt8]
    /// The kinds line and the detection's notes, as one process prints them (a whole read only:
    /// a table of numbers with no override has none); rank 0 prints them.
    let notes: [String]
    private let source: Source

    private enum Source {
        case share(CSVTable)
        case whole(CSVTable, MixedTable)
    }

    /// Reads `input`'s share of every rank (collective; failures agreed).
    static func read(input: String, kinds: ColumnKindOptions, ranks: Ranks, table: inout CSVTable?) throws -> RankedTable {
        let agreement = Ranks.Agreement(ranks: ranks, source: input)
        // Its last checks (rows, observed values) throw on every rank alike, outside its own agreements.
        let share = try agreement.agreed {
            try TableShare.read(path: input, overrides: kinds.overrides, communicator: ranks.communicator, agreement: agreement)
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
            var notes: [String] = []
            let (read, detected) = try kinds.readAndDetect(input: input, source: input, into: &table) { notes.append($0) }
            let encoded = detected.schema.encode(detected.table).matrix
            let n = encoded.rows, d = encoded.cols, r = ranks.rank, p = ranks.size
            let lo = n * r / p, hi = n * (r + 1) / p
            var header: [UInt8] = []
            read.appendHeader(to: &header)
            return RankedTable(block: Matrix(rows: hi - lo, cols: d, storage: Array(encoded.storage[(lo * d)..<(hi * d)])),
                               schema: detected.schema, tableRows: n, columns: read.values.cols, missingCount: read.missingCount,
                               rowsBeforeTable: 0, header: header, notes: notes, source: .whole(read, detected.table))
        }
    }

    /// Fits on this rank's block (`MIRITraining.runParallel`); an imputation beyond Float's range
    /// names its row as the table `read` handed back counts it (the block, or the whole file), so
    /// the message gives the file's line.
    func fit(with training: MIRITraining) throws -> (model: FittedMIRI, imputed: Matrix) {
        do {
            return try training.runParallel(block: block, tableRows: tableRows)
        } catch let error as OutOfRangeImputation {
            throw OutOfRangeImputation(row: error.row - rowsBeforeTable, column: error.column)
        }
    }

    /// Whether the encoded table (every rank's block) has a missing cell MIRI can learn from.
    func hasMissingEncoded(_ communicator: Communicator) -> Bool {
        communicator.sum([block.storage.contains { $0.isNaN } ? 1 : 0])[0] > 0
    }

    /// This rank's rows of the completed table as CSV bytes (no header), given its block
    /// completed; for a table read whole, rank 0 gathers every block and writes all rows.
    /// Collective.
    func completedRows(_ imputed: Matrix, roundIntegers: Bool, communicator: Communicator) throws -> [UInt8] {
        switch source {
        case let .share(rows):
            return try rows.csvBytes(completion: schema.decode(imputed, for: rows.mixedTable(), roundIntegers: roundIntegers),
                                     includeHeader: false)
        case let .whole(read, mixed):
            let parts = communicator.gather(imputed.storage.withUnsafeBytes { Array($0) }, root: 0)
            guard communicator.rank == 0 else { return [] }
            let storage = parts.flatMap { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
            let whole = Matrix(rows: tableRows, cols: block.cols, storage: storage)
            return try read.csvBytes(completion: schema.decode(whole, for: mixed, roundIntegers: roundIntegers), includeHeader: false)
        }
    }
}

extension Ranks {
    /// `agreed` for the library's collective steps (`FailureAgreement`).
    struct Agreement: FailureAgreement {
        let ranks: Ranks
        let source: String
        func agreed<T>(_ body: () throws -> T) throws -> T { try ranks.agreed(source: source, body) }
    }
}
