/// The column kinds a model was fitted with, kept in the model so that `apply` encodes new rows
/// and decodes their imputations exactly as the fit (and `miri impute`) did.
///
/// The model itself sees the encoded table (`TableSchema.encode`): its columns are the encoded
/// ones, its column names `table.encodedNames`; the source table's names are `table.names`.
public struct FittedSchema: Sendable, Equatable {
    /// Kinds, categories and one-hot scale of the training table.
    public var table: TableSchema
    /// Whether imputed values of integer columns are rounded (false: `--no-round-integers`).
    public var roundIntegers: Bool

    /// The kinds of `table`, integers rounded unless `roundIntegers` is false.
    public init(table: TableSchema, roundIntegers: Bool = true) {
        self.table = table
        self.roundIntegers = roundIntegers
    }

    /// The schema a model must keep, or nil when every column is plainly numeric: such a model
    /// needs none, and its file keeps the format version older readers know.
    public static func keeping(_ table: TableSchema, roundIntegers: Bool) -> FittedSchema? {
        table.kinds.allSatisfy { $0 == .numeric } ? nil : FittedSchema(table: table, roundIntegers: roundIntegers)
    }
}
