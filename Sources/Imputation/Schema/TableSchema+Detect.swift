import Linalg

/// Deciding each column's kind from its observed cells.
extension TableSchema {
    /// The kinds of `table`'s columns, with `overrides` applied; `notes` says why a column was
    /// passed through without being asked. Rules, in order:
    /// - `passThrough` names it → passed through; `numeric` names it → numeric (integer when
    ///   every value is), and a text cell is an error; `categorical` names it → categories are
    ///   the cells' texts (numeric codes included).
    /// - numbers only → integer when every observed value is an integer, else numeric;
    /// - numbers and text mixed → an error at the first text cell (a typo in a numeric column
    ///   is far likelier than a category that looks like a number; name the column to decide);
    /// - text only → an identifier (every value distinct, more than one) or more than
    ///   `categoryLimit` distinct values (dates, free text) is passed through, with a note;
    ///   otherwise categorical.
    public static func detect(_ table: MixedTable, overrides: KindOverrides = KindOverrides()) throws -> (schema: TableSchema, notes: [String]) {
        try checkOverrides(overrides, names: table.names)
        let n = table.values.rows, d = table.values.cols
        let withText = table.columnsWithText
        var kinds: [ColumnKind] = [], categories: [[String]] = [], notes: [String] = []
        for j in 0..<d {
            let name = table.names[j]
            let forcedCategorical = overrides.categorical.contains(name)
            if overrides.passThrough.contains(name) {
                kinds.append(.passThrough); categories.append([]); continue
            }
            if withText.contains(j) && !forcedCategorical {
                let hasNumber = (0..<n).contains { !table.values[$0, j].isNaN }
                if hasNumber || overrides.numeric.contains(name) { throw firstTextError(table, column: j) }
            }
            if forcedCategorical || withText.contains(j) {
                let texts = table.texts[j] ?? []
                let observed = texts.compactMap { $0 }
                let ordered = try orderedCategories(texts, column: j, limit: forcedCategorical ? categoryLimit : .max)
                if !forcedCategorical && ordered.count > 1 && ordered.count == observed.count {
                    kinds.append(.passThrough); categories.append([])
                    notes.append("column \"\(name)\" passed through: all \(observed.count) values differ (an identifier?); its missing cells stay missing")
                    continue
                }
                if !forcedCategorical && ordered.count > categoryLimit {
                    kinds.append(.passThrough); categories.append([])
                    notes.append("column \"\(name)\" passed through: \(ordered.count) distinct values, more than \(categoryLimit) categories (dates or free text?); its missing cells stay missing")
                    continue
                }
                kinds.append(.categorical); categories.append(ordered)
                continue
            }
            let integral = (0..<n).allSatisfy { i in let v = table.values[i, j]; return v.isNaN || v.rounded() == v }
            kinds.append(integral ? .integer : .numeric); categories.append([])
        }
        if !kinds.isEmpty && kinds.allSatisfy({ $0 == .passThrough }) { throw MixedTableError.nothingToImpute }
        let schema = TableSchema(names: table.names, kinds: kinds, categories: categories,
                                 oneHotScale: oneHotScale(table.values, kinds: kinds))
        return (schema, notes)
    }

    /// Distinct observed texts, most frequent first, ties by first appearance; throws once more
    /// than `limit` are seen, naming the row of the first one beyond it.
    static func orderedCategories(_ texts: [String?], column: Int, limit: Int) throws -> [String] {
        var counts: [String: Int] = [:], order: [String] = []
        for (i, text) in texts.enumerated() {
            guard let text else { continue }
            if counts[text] == nil {
                if order.count == limit { throw MixedTableError.tooManyCategories(row: i, column: column, limit: limit) }
                order.append(text)
            }
            counts[text, default: 0] += 1
        }
        let first = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : first[$0]! < first[$1]! }
    }

    /// sqrt(mean population variance of the numeric and integer columns); 1 when there are none.
    static func oneHotScale(_ values: Matrix, kinds: [ColumnKind]) -> Float {
        oneHotScale(stds: Standardization(fitting: values).stds, kinds: kinds)
    }

    /// The same from the columns' standard deviations (`Standardization.stds`).
    package static func oneHotScale(stds: [Double], kinds: [ColumnKind]) -> Float {
        var total = 0.0, columns = 0
        for j in kinds.indices where kinds[j] == .numeric || kinds[j] == .integer {
            total += stds[j] * stds[j]
            columns += 1
        }
        let scale = columns == 0 ? 1 : Float((total / Double(columns)).squareRoot())
        return scale.isFinite && scale > 0 ? scale : 1
    }

    static func firstTextError(_ table: MixedTable, column j: Int) -> MixedTableError {
        let d = table.values.cols
        let k = table.textCells.filter { $0 % d == j }.min() ?? j
        return .textInNumericColumn(row: k / d, column: j, text: table.texts[j]?[k / d] ?? "")
    }

    static func checkOverrides(_ overrides: KindOverrides, names: [String]) throws {
        let known = Set(names)
        for (flag, set) in [("--categorical", overrides.categorical), ("--numeric", overrides.numeric), ("--pass-through", overrides.passThrough)] {
            if let unknown = set.sorted().first(where: { !known.contains($0) }) {
                throw MixedTableError.badOverride("\(flag) names column \"\(unknown)\", which the table does not have")
            }
        }
        let twice = overrides.categorical.intersection(overrides.numeric).union(overrides.categorical.intersection(overrides.passThrough))
            .union(overrides.numeric.intersection(overrides.passThrough))
        if let name = twice.sorted().first { throw MixedTableError.badOverride("column \"\(name)\" is given two kinds") }
    }
}
