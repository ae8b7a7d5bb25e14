/// Cell by cell access to the text a table was read from: the values in Double, and the check
/// that a table is complete.
///
/// Why Double: `values` holds each cell rounded to the nearest `Float`, which is what the
/// imputers take. Tools that must agree with float64 code bit for bit (the benchmark's masks,
/// which masks.py computes from `numpy.loadtxt`) need each cell rounded from its text to the
/// nearest `Double` instead; rounding the `Float` would not give that.
extension CSVTable {
    /// Every cell as the nearest `Double` to its text, row-major; NaN where missing. A table
    /// built in code has no text: its `Float` values, widened.
    package func doubleValues() -> [Double] {
        guard let text = rowText else { return values.storage.map(Double.init) }
        var out = [Double](repeating: .nan, count: values.count)
        let columns = values.cols
        for i in 0..<values.rows {
            let fields = FieldSplitter.fields(in: text.bytes, record: text.starts[i]..<text.ends[i])
            for j in 0..<columns where !values.storage[i * columns + j].isNaN {
                // The reader accepted this text as a decimal number, so Double parses it; the
                // Float value stays as a fallback rather than a trap.
                // Blanks inside quotes are allowed around a number too: trim them as the reader did.
                let cell = FieldSplitter.text(of: fields[j], in: text.bytes).utf8
                    .drop { CellScanner.isBlank($0) }.reversed().drop { CellScanner.isBlank($0) }.reversed()
                out[i * columns + j] = Double(String(decoding: cell, as: UTF8.self)) ?? Double(values.storage[i * columns + j])
            }
        }
        return out
    }

    /// Throws `CSVError.Kind.missingCell` for the first missing cell, naming its line and column:
    /// for commands that need a complete table (`miri ampute`). `source` names the input.
    package func requireComplete(source: String) throws {
        guard let k = values.storage.firstIndex(where: \.isNaN) else { return }
        let i = k / values.cols, j = k % values.cols
        let (line, written) = place(row: i, column: j)
        throw CSVError(.missingCell(text: written), source: source, line: line, column: j + 1, columnName: header[j])
    }

    /// The line cell (i, j) is on, and its text ("" for a table built in code).
    func place(row i: Int, column j: Int) -> (line: Int, text: String) {
        guard let text = rowText else { return (firstLine + i, "") }
        let field = FieldSplitter.fields(in: text.bytes, record: text.starts[i]..<text.ends[i])[j]
        // Rows may span lines (a quoted field with a line end): count from the first row.
        let line = firstLine + text.bytes[text.starts[0]..<field.raw.lowerBound].reduce(0) { $1 == ASCII.newline ? $0 + 1 : $0 }
        return (line, FieldSplitter.text(of: field, in: text.bytes))
    }

    /// Reads the CSV file at `path` for an analysis in Double: the table, and every cell as the
    /// nearest `Double` to its text (NaN where missing), row-major. Numbers beyond `Float`'s
    /// range, which `read` refuses, are read too; one beyond `Double`'s is refused, naming its
    /// line and column. `values` of the table returned is NaN at those cells.
    package static func readDoubles(path: String) throws -> (table: CSVTable, values: [Double]) {
        try readDoubles(bytes: FileInput.readAll(path: path), source: path)
    }

    /// `readDoubles(path:)` of CSV bytes; `source` names the input in errors.
    package static func readDoubles(bytes: [UInt8], source path: String) throws -> (table: CSVTable, values: [Double]) {
        let table = try read(bytes: bytes, source: path, allowText: false, keepsOverflow: true)
        var values = table.doubleValues()
        for k in table.textCells.sorted() {
            let i = k / table.values.cols, j = k % table.values.cols
            let (line, written) = table.place(row: i, column: j)
            let trimmed = written.utf8.drop { CellScanner.isBlank($0) }.reversed().drop { CellScanner.isBlank($0) }.reversed()
            guard let value = Double(String(decoding: trimmed, as: UTF8.self)), value.isFinite else {
                throw CSVError(.overflowDouble(text: written), source: path, line: line, column: j + 1, columnName: table.header[j])
            }
            values[k] = value
        }
        return (table, values)
    }
}
