import Imputation

/// The column-kinds section of a version-2 model (MIRI or MICE), right after the column names:
///
///     round integers  u8: 1 to round integer columns' imputations, 0 to keep fractions
///     one-hot scale   f32: the value of a one-hot entry that is on; positive, finite
///     columns c       u32: the source table's columns
///     c times         name (string), u8 kind (0 numeric, 1 integer, 2 categorical,
///                     3 pass-through), u32 category count k, k category strings
///
/// k is 0 unless the column is categorical (then 1 … `TableSchema.categoryLimit`, distinct,
/// most frequent first: the one-hot order). The encoded width must be the header's d, and the
/// model's column names (when stored) the schema's encoded names.
extension ModelSections {
    static let kindCodes: [ColumnKind] = [.numeric, .integer, .categorical, .passThrough]

    static func write(schema: FittedSchema, to w: inout ByteWriter) {
        let table = schema.table
        w.u8(schema.roundIntegers ? 1 : 0)
        w.f32(table.oneHotScale)
        w.u32(table.names.count)
        for j in table.names.indices {
            w.string(table.names[j])
            w.u8(UInt8(kindCodes.firstIndex(of: table.kinds[j])!))
            w.u32(table.categories[j].count)
            for category in table.categories[j] { w.string(category) }
        }
    }

    static func readSchema(_ r: inout ByteReader, columns d: Int, names: [String]?) throws -> FittedSchema {
        let round = try r.u8("round integers")
        if round > 1 { throw Invalid.invalidField(field: "round integers", reason: "\(round); expected 0 or 1") }
        let scale = try r.f32("one-hot scale")
        if !(scale.isFinite && scale > 0) { throw Invalid.invalidField(field: "one-hot scale", reason: "\(scale) is not a positive finite number") }
        // name length, kind and category count: at least 9 bytes a column
        let count = try r.count("schema columns", unitBytes: 9)
        if count < 1 { throw Invalid.invalidField(field: "schema columns", reason: "0; a model needs at least one column") }
        var sourceNames: [String] = [], kinds: [ColumnKind] = [], categories: [[String]] = []
        for j in 1...count {
            sourceNames.append(try r.string("schema column \(j) name"))
            let code = Int(try r.u8("schema column \(j) kind"))
            guard code < kindCodes.count else {
                throw Invalid.invalidField(field: "schema column \(j) kind", reason: "\(code); expected 0 to \(kindCodes.count - 1)")
            }
            let kind = kindCodes[code]
            let k = try r.count("schema column \(j) categories", unitBytes: 4, limit: TableSchema.categoryLimit)
            if (kind == .categorical) != (k > 0) {
                throw Invalid.invalidField(field: "schema column \(j) categories", reason: "\(k) for a \(kind.rawValue) column")
            }
            let list = try (0..<k).map { try r.string("schema column \(j) category \($0 + 1)") }
            if Set(list).count != list.count { throw Invalid.invalidField(field: "schema column \(j) categories", reason: "a category repeats") }
            kinds.append(kind)
            categories.append(list)
        }
        let table = TableSchema(names: sourceNames, kinds: kinds, categories: categories, oneHotScale: scale)
        let width = table.encodedRanges.last?.upperBound ?? 0
        if width != d { throw Invalid.invalidField(field: "schema columns", reason: "they encode to \(width) columns, but the model has \(d)") }
        if let names, names != table.encodedNames {
            throw Invalid.invalidField(field: "column names", reason: "not the schema's encoded columns")
        }
        return FittedSchema(table: table, roundIntegers: round == 1)
    }
}
