import Foundation
import Imputation
import Linalg
import TableIO

/// A CSV table on its way through an imputer, as `impute`, `fit` (MIRI and MICE) and their
/// split runs take it: read with text cells allowed, its column kinds decided, encoded to the
/// numbers the imputers work on; and back: the completed numbers decoded and written as CSV,
/// every observed cell as read. The imputers' errors about a cell or column name the table's
/// columns (`TableSchema.mappingColumns`).
package struct EncodedTable {
    package let table: CSVTable
    package let schema: TableSchema
    package let mixed: MixedTable
    /// The imputers' input: one-hot categories, no pass-through columns, NaN = missing.
    package let encoded: Matrix
    /// The kinds line (a table of plain numbers with no override has none) and the detection's
    /// notes, for the caller to print.
    package let notes: [String]

    /// Reads `input` ("-": standard input) — into `table` as soon as it is read, so a later error
    /// can show its cells — decides the kinds with `overrides` and encodes.
    package static func read(input: String, source: String, overrides: KindOverrides, into table: inout CSVTable?) throws -> EncodedTable {
        let read = input == "-" ? try CSVTable.readStandardInput(source: source, allowText: true)
            : try CSVTable.read(path: input, allowText: true)
        table = read
        let detected = try read.detectKinds(overrides: overrides, source: source)
        let kinds = !detected.schema.isNumericOnly || !overrides.isEmpty ? ["columns: \(detected.schema.summary)"] : []
        return EncodedTable(table: read, schema: detected.schema, mixed: detected.table,
                            encoded: detected.schema.encode(detected.table).matrix, notes: kinds + detected.notes)
    }

    /// Whether a cell the imputers see is missing (missing cells only in pass-through columns
    /// leave nothing to impute, or for MIRI to learn from).
    package var hasMissingEncoded: Bool { encoded.storage.contains { $0.isNaN } }

    /// Runs `body` on the encoded numbers with its errors in the table's columns.
    package func fitting<T>(_ body: (Matrix) throws -> T) throws -> T {
        try schema.mappingColumns { try body(encoded) }
    }

    /// The completion of `complete` (the encoded numbers in, completed out; not called when
    /// nothing it sees is missing), decoded.
    package func completion(roundIntegers: Bool, _ complete: (Matrix) throws -> Matrix) throws -> MixedCompletion {
        let imputed = hasMissingEncoded ? try fitting(complete) : encoded
        return schema.decode(imputed, for: mixed, roundIntegers: roundIntegers)
    }

    /// The completed table as CSV bytes, given the encoded numbers completed.
    package func csvBytes(imputed: Matrix, roundIntegers: Bool, includeHeader: Bool = true) throws -> [UInt8] {
        try table.csvBytes(completion: schema.decode(imputed, for: mixed, roundIntegers: roundIntegers), includeHeader: includeHeader)
    }

    /// Rank `rank`'s contiguous rows of the encoded numbers, of `size` ranks.
    package func block(rank: Int, of size: Int) -> Matrix {
        let n = encoded.rows, d = encoded.cols
        let lo = n * rank / size, hi = n * (rank + 1) / size
        return Matrix(rows: hi - lo, cols: d, storage: Array(encoded.storage[(lo * d)..<(hi * d)]))
    }
}
