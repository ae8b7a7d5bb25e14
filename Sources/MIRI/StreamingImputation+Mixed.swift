import Imputation
import Linalg
import TableIO

/// A batch through a model with a schema: the kinds and categories are the model's, so a batch
/// is encoded, completed and decoded exactly as `miri impute` did the training table.
extension StreamingImputation {
    /// Each output's rows (no header) and the count of observed cells holding a category the
    /// model never saw: those are written as they are and enter the model as missing.
    /// Throws the line's `CSVError` for text in a numeric or integer column.
    func completeMixed(_ batch: CSVTable, schema: FittedSchema, source: String, randoms: inout [RandomSource],
                       shouldStop: (() -> Bool)?) throws -> (rows: [[UInt8]], unseen: Int) {
        let kinds = schema.table.kinds
        let numeric = Set(kinds.indices.filter { kinds[$0] == .numeric || kinds[$0] == .integer })
        if let error = batch.firstTextCellError(columns: numeric, source: source) { throw error }
        let categoricalColumns = Set(kinds.indices.filter { kinds[$0] == .categorical })
        if let error = batch.firstInvalidUTF8Error(columns: categoricalColumns, source: source) { throw error }
        let categorical = Set(categoricalColumns.map { schema.table.names[$0] })
        let table = batch.mixedTable(categorical: categorical)
        let (encoded, unseen) = schema.table.encode(table)
        let tables: [Matrix]
        do {
            tables = try complete(encoded, randoms: &randoms, shouldStop: shouldStop)
        } catch let MICEError.outOfRange(row, column, value) {
            throw MICEError.outOfRange(row: row, column: schema.table.sourceColumn(ofEncoded: column), value: value)
        }
        let rows = try tables.map { imputed in
            try batch.csvBytes(completion: schema.table.decode(imputed, for: table, roundIntegers: schema.roundIntegers),
                               includeHeader: false)
        }
        return (rows, unseen)
    }
}
