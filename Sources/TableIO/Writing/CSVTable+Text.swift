import Foundation

/// Text cells of a table read with `allowText`: their text, where they are, and writing a table
/// whose missing cells are filled with text (a category, an integer) rather than a `Float`.
extension CSVTable {
    /// Whether cell (row, column), 0-based, is missing: a missing marker, not a text cell.
    public func isMissing(_ row: Int, _ column: Int) -> Bool {
        let k = row * values.cols + column
        return values.storage[k].isNaN && !textCells.contains(k)
    }

    /// Each listed column's cells as text (quotes removed, `""` un-escaped, blanks trimmed),
    /// nil where missing. One pass over the rows, whatever the number of columns.
    public func cellTexts(columns: [Int]) -> [[String?]] {
        var out = [[String?]](repeating: [], count: columns.count)
        for c in out.indices { out[c].reserveCapacity(values.rows) }
        let blanks = CharacterSet(charactersIn: " \t")
        for i in 0..<values.rows {
            let fields = rowText.map { FieldSplitter.fields(in: $0.bytes, record: $0.starts[i]..<$0.ends[i]) }
            for (c, j) in columns.enumerated() {
                if isMissing(i, j) { out[c].append(nil); continue }
                guard let text = rowText, let fields else { out[c].append(values[i, j].description); continue }
                let cell = FieldSplitter.text(of: fields[j], in: text.bytes)
                out[c].append(cell.trimmingCharacters(in: blanks))
            }
        }
        return out
    }

    /// The error for the first observed cell of `columns` (0-based, row by row) whose bytes are
    /// not valid UTF-8, or nil. Such a cell's text would read with U+FFFD in place of its bad
    /// bytes, so two different categories could merge and an imputation could write a value the
    /// input does not hold: columns compared as text (categories) must refuse it.
    public func firstInvalidUTF8Error(columns: Set<Int>, source: String) -> CSVError? {
        guard let text = rowText, !columns.isEmpty else { return nil }
        let ordered = columns.sorted()
        for i in 0..<values.rows {
            let record = text.starts[i]..<text.ends[i]
            // Whole rows of valid UTF-8 (all of them, in a clean file) need no split.
            if String(validating: text.bytes[record], as: UTF8.self) != nil { continue }
            let fields = FieldSplitter.fields(in: text.bytes, record: record)
            for j in ordered where !isMissing(i, j) {
                let bytes = text.bytes[fields[j].raw]
                if String(validating: bytes, as: UTF8.self) == nil {
                    return CSVError(.invalidUTF8(bytes: Array(bytes)), source: source, line: line(ofRow: i), column: j + 1,
                                    columnName: header[j])
                }
            }
        }
        return nil
    }

    /// The 1-based line data row `row` (0-based) starts on, counting line ends inside quoted
    /// fields of the rows before it.
    public func line(ofRow row: Int) -> Int {
        guard let text = rowText, row < text.starts.count, row > 0 else { return firstLine + row }
        return firstLine + text.bytes[text.starts[0]..<text.starts[row]].reduce(0) { $1 == ASCII.newline ? $0 + 1 : $0 }
    }

    /// The error for the first text cell ("cannot read … as a number") of the first of `columns`
    /// that has one, or nil when none does: columns that must be numeric. One pass over the
    /// text cells, whatever the number of columns.
    public func firstTextCellError(columns: Set<Int>, source: String) -> CSVError? {
        var first = [Int: Int]()                       // column → its first text cell
        for k in textCells where columns.contains(k % values.cols) {
            let j = k % values.cols
            if k < first[j] ?? .max { first[j] = k }
        }
        guard let column = first.keys.min(), let k = first[column] else { return nil }
        let row = k / values.cols
        let text = cellTexts(columns: [column])[0][row] ?? ""
        return CSVError(.notANumber(text: text), source: source, line: line(ofRow: row), column: column + 1, columnName: header[column])
    }

    /// The header and every row; each missing cell gets `fill(row, column)`'s text (written
    /// as a CSV field, quoted when it needs it), or keeps its marker when that is nil. Every
    /// other cell is written as the bytes it was read from. Without `includeHeader`, the rows
    /// only (a batch after the first).
    public func csvBytes(includeHeader: Bool = true, fillingMissing fill: (Int, Int) -> String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((rowText?.bytes.count ?? values.count * 12) + missingCount * 8)
        if includeHeader { appendHeader(to: &out) }
        let columns = values.cols
        for i in 0..<values.rows {
            if let text = rowText, !(0..<columns).contains(where: { isMissing(i, $0) }) {
                out.append(contentsOf: text.bytes[text.starts[i]..<text.ends[i]])    // nothing to fill: the row as read
                out.append(contentsOf: lineEnd(afterRow: i))
                continue
            }
            let fields = rowText.map { FieldSplitter.rawFields(in: $0.bytes, record: $0.starts[i]..<$0.ends[i]) }
            for j in 0..<columns {
                if j > 0 { out.append(ASCII.comma) }
                if isMissing(i, j), let text = fill(i, j) {
                    out.append(contentsOf: Self.quotedIfNeeded(text).utf8)
                } else if let text = rowText, let fields {
                    out.append(contentsOf: text.bytes[fields[j]])
                } else {
                    out.append(contentsOf: (FloatText.shortest(values[i, j]) ?? "").utf8)
                }
            }
            out.append(contentsOf: lineEnd(afterRow: i))
        }
        return out
    }
}
