import Imputation
import Linalg
import Testing

/// Column kinds, the one-hot encoding and its decoding, worked by hand.
@Suite("mixed tables")
struct TableSchemaTests {
    let nan = Float.nan

    /// A table from text cells: numbers where they parse, text elsewhere, nil missing.
    static func table(_ names: [String], _ rows: [[String?]]) -> MixedTable {
        let n = rows.count, d = names.count
        var values = Matrix(rows: n, cols: d, repeating: .nan)
        var textCells: Set<Int> = []
        var texts: [Int: [String?]] = [:]
        for j in 0..<d { texts[j] = rows.map { $0[j] } }
        for i in 0..<n {
            for j in 0..<d {
                guard let cell = rows[i][j] else { continue }
                if let v = Float(cell) { values[i, j] = v } else { textCells.insert(i * d + j) }
            }
        }
        return MixedTable(names: names, values: values, textCells: textCells, texts: texts)
    }

    @Test("kinds from the cells: an identifier passed through, text categories by frequency, integers, decimals")
    func detect() throws {
        let t = Self.table(["id", "colour", "count", "x"], [
            ["r1", "red", "3", "0.5"], ["r2", "blue", nil, "1.25"], ["r3", "blue", "4", nil],
            ["r4", nil, "-2", "2"], ["r5", "green", "7", "3"],
        ])
        let (schema, notes) = try TableSchema.detect(t)
        #expect(schema.kinds == [.passThrough, .categorical, .integer, .numeric])
        #expect(schema.categories[1] == ["blue", "red", "green"], "most frequent first, ties by first appearance")
        #expect(notes.count == 1 && notes[0].contains("\"id\"") && notes[0].contains("all 5 values differ"))
        #expect(schema.summary == "1 numeric, 1 integer, 1 categorical (colour), 1 passed through (id)")
        #expect(schema.encodedNames == ["colour=blue", "colour=red", "colour=green", "count", "x"])
    }

    @Test("overrides: numeric codes as categories, a column passed through, unknown names refused")
    func overrides() throws {
        let t = Self.table(["gear", "y"], [["3", "1"], ["4", "2"], ["3", nil], [nil, "4"]])
        let (schema, _) = try TableSchema.detect(t, overrides: KindOverrides(categorical: ["gear"], passThrough: ["y"]))
        #expect(schema.kinds == [.categorical, .passThrough])
        #expect(schema.categories[0] == ["3", "4"])
        #expect(throws: MixedTableError.badOverride("--numeric names column \"z\", which the table does not have")) {
            try TableSchema.detect(t, overrides: KindOverrides(numeric: ["z"]))
        }
        #expect(throws: MixedTableError.badOverride("column \"y\" is given two kinds")) {
            try TableSchema.detect(t, overrides: KindOverrides(numeric: ["y"], passThrough: ["y"]))
        }
        #expect(throws: MixedTableError.nothingToImpute) {
            try TableSchema.detect(t, overrides: KindOverrides(passThrough: ["gear", "y"]))
        }
    }

    @Test("a text cell among numbers, or in a --numeric column, is an error at its row")
    func textInNumericColumn() throws {
        let mixed = Self.table(["a"], [["1"], ["2"], ["x2"], ["y"]])
        #expect(throws: MixedTableError.textInNumericColumn(row: 2, column: 0, text: "x2")) { try TableSchema.detect(mixed) }
        let words = Self.table(["a", "b"], [["1", "u"], ["2", "v"], ["3", "u"]])
        #expect(throws: MixedTableError.textInNumericColumn(row: 0, column: 1, text: "u")) {
            try TableSchema.detect(words, overrides: KindOverrides(numeric: ["b"]))
        }
    }

    @Test("more categories than the limit: an error for --categorical, passed through otherwise")
    func categoryLimit() throws {
        let limit = TableSchema.categoryLimit
        // limit + 1 distinct labels, each twice (so not an identifier).
        let rows: [[String?]] = (0..<(2 * (limit + 1))).map { ["c\($0 / 2)", "\($0)"] }
        let t = Self.table(["label", "v"], rows)
        #expect(throws: MixedTableError.tooManyCategories(row: 2 * limit, column: 0, limit: limit)) {
            try TableSchema.detect(t, overrides: KindOverrides(categorical: ["label"]))
        }
        let (schema, notes) = try TableSchema.detect(t)
        #expect(schema.kinds[0] == .passThrough)
        #expect(notes.first?.contains("\(limit + 1) distinct values") == true)
    }

    @Test("the one-hot scale is the root mean variance of the numeric columns")
    func scale() throws {
        // Column a: 1, 3 (population variance 1); b: 0, 4 (variance 4): scale = sqrt(2.5).
        let t = Self.table(["a", "b", "c"], [["1", "0", "u"], ["3", "4", "v"], ["1", nil, "u"], ["3", nil, "u"]])
        let (schema, _) = try TableSchema.detect(t)
        // a over four rows: 1, 3, 1, 3 → variance 1 still.
        #expect(abs(schema.oneHotScale - Float(2.5.squareRoot())) < 1e-6)
    }

    @Test("an all-numeric table is encoded as it is, bit for bit")
    func identity() throws {
        let t = Self.table(["a", "b"], [["1.5", nil], ["2", "3"], [nil, "4.25"]])
        let (schema, _) = try TableSchema.detect(t)
        let encoded = schema.encode(t)
        #expect(encoded.matrix.storage.map(\.bitPattern) == t.values.storage.map(\.bitPattern))
        #expect(encoded.unseenCategories == 0)
    }

    @Test("one-hot blocks: the category's entry on, a missing cell's block NaN, an unseen category counted and left missing")
    func encode() throws {
        let train = Self.table(["x", "c"], [["0", "a"], ["2", "b"], ["0", "a"], [nil, "a"]])
        let (schema, _) = try TableSchema.detect(train)
        let s = schema.oneHotScale   // x: 0, 2, 0 → variance 8/9
        #expect(abs(s - Float((8.0 / 9).squareRoot())) < 1e-6)
        let new = Self.table(["x", "c"], [["1", "b"], ["1", nil], ["1", "zz"]])
        let (m, unseen) = schema.encode(new)
        #expect(unseen == 1)
        #expect(m.row(0) == [1, 0, s])
        #expect(m.row(1)[0] == 1 && m.row(1)[1].isNaN && m.row(1)[2].isNaN)
        #expect(m.row(2)[1].isNaN && m.row(2)[2].isNaN)
    }

    @Test("decoding: arg-max of the block (ties to the more frequent category), integers rounded unless asked not to")
    func decode() throws {
        let t = Self.table(["n", "c"], [["1", "a"], ["2", "a"], ["3", "b"], [nil, nil], [nil, nil]])
        let (schema, _) = try TableSchema.detect(t)
        #expect(schema.kinds == [.integer, .categorical] && schema.categories[1] == ["a", "b"])
        let imputed = Matrix([[1, 1, 0], [2, 1, 0], [3, 0, 1], [2.6, 0.2, 0.7], [-1.5, 0.4, 0.4]])
        let out = schema.decode(imputed, for: t)
        #expect(out.cell(3, 0) == .integer(3) && out.cell(3, 1) == .category("b"))
        #expect(out.cell(4, 0) == .integer(-2) && out.cell(4, 1) == .category("a"), "tie: the first (more frequent)")
        #expect(out.cell(0, 0) == .none, "observed cells are not filled")
        #expect(schema.decode(imputed, for: t, roundIntegers: false).cell(3, 0) == .number(2.6))
    }

    @Test("mean: the most frequent category; kNN: the most frequent among the donors")
    func meanAndKNN() throws {
        // x separates the groups: rows near x = 0 are "a" (2 of them), rows near 11 are "b" (3).
        let t = Self.table(["x", "c"], [["0", "a"], ["1", "a"], ["10", "b"], ["11", "b"], ["12", "b"], ["0.5", nil], ["11.5", nil]])
        let (schema, _) = try TableSchema.detect(t)
        let mean = try schema.impute(t, with: MeanImputer())
        #expect(mean.cell(5, 1) == .category("b") && mean.cell(6, 1) == .category("b"))
        let knn = try schema.impute(t, with: KNNImputer(neighbors: 2))
        #expect(knn.cell(5, 1) == .category("a"), "donors rows 0 and 1 (distance 0.5 each)")
        #expect(knn.cell(6, 1) == .category("b"), "donors rows 3 and 4")
    }

    @Test("kNN counts a category mismatch: the donor with the same category is nearer")
    func knnMismatch() throws {
        // Row 4 misses x. By c alone, rows 0 and 1 share its category "a" (distance 0) and
        // rows 2, 3 do not (mismatch 2·scale²), so with k = 2 its x is the mean of rows 0, 1.
        let t = Self.table(["x", "c"], [["1", "a"], ["3", "a"], ["100", "b"], ["104", "b"], [nil, "a"]])
        let (schema, _) = try TableSchema.detect(t)
        let out = try schema.impute(t, with: KNNImputer(neighbors: 2))
        #expect(out.cell(4, 0) == .integer(2))
    }
}
