import Foundation

/// Reading a whole CSV file into one `CSVTable`.
///
/// The format accepted (the contract `miri impute` relies on): a header row of column names
/// (quoted names with `""` escapes allowed), then rows of the same number of comma-separated
/// cells; each cell a decimal number (`12`, `-0.5`, `.5`, `6.1556e+05`) or a missing marker
/// (empty, `NA`, `NaN`, `nan`, `?`), blanks around either tolerated; `\n` or `\r\n` line ends,
/// with or without a final one; a UTF-8 byte order mark skipped. The table must have at least
/// one data row and an observed value in every column. A table with nothing missing is fine.
extension CSVTable {
    /// Reads a table from CSV bytes. `source` names the input in error messages.
    ///
    /// With `allowText`, a cell that is not a number is kept as text (see `textCells`,
    /// `cellTexts(columns:)`) instead of being refused: for tables with categorical columns.
    public static func read(bytes: [UInt8], source: String, allowText: Bool = false) throws -> CSVTable {
        try read(bytes: bytes, source: source, allowText: allowText, keepsOverflow: false)
    }

    static func read(bytes: [UInt8], source: String, allowText: Bool, keepsOverflow: Bool) throws -> CSVTable {
        guard let header = try HeaderRow.parse(bytes, end: bytes.count, final: true, source: source) else {
            preconditionFailure("a final parse always decides")
        }
        var rows = ParsedRows()
        var parser = RowParser(header: header.names, source: source)
        parser.allowText = allowText
        parser.keepsOverflow = keepsOverflow
        _ = try parser.parse(bytes, from: header.dataStart, end: bytes.count, final: true, limit: .max, into: &rows)
        if rows.count == 0 { throw CSVError(.noDataRows, source: source, line: header.dataStart.line) }
        let table = CSVTable(header: header, rows: rows, bytes: bytes)
        try table.requireObservedValueInEveryColumn(source: source, lastLine: rows.lastLine ?? table.firstLine)
        return table
    }

    /// Reads a table from CSV data. `source` names the input in error messages.
    public static func read(data: Data, source: String) throws -> CSVTable {
        try read(bytes: [UInt8](data), source: source)
    }

    /// Reads the CSV file at `path`; errors name it by `path`.
    public static func read(path: String, allowText: Bool = false) throws -> CSVTable {
        try read(bytes: FileInput.readAll(path: path), source: path, allowText: allowText)
    }

    /// Reads a CSV table from standard input until it ends; errors name it `source`.
    package static func readStandardInput(source: String = "<stdin>", allowText: Bool = false) throws -> CSVTable {
        try read(bytes: FileInput.readAll(from: .standardInput, source: source), source: source, allowText: allowText)
    }

    /// Throws for the first column that is missing in every row: an imputer has nothing to
    /// learn it from.
    func requireObservedValueInEveryColumn(source: String, lastLine: Int) throws {
        let columns = values.cols
        var observed = [Bool](repeating: false, count: columns)
        var unseen = columns
        var index = 0
        for _ in 0..<values.rows where unseen > 0 {
            for j in 0..<columns {
                if !observed[j], !values.storage[index + j].isNaN || textCells.contains(index + j) { observed[j] = true; unseen -= 1 }
            }
            index += columns
        }
        guard let column = observed.firstIndex(of: false) else { return }
        throw CSVError(.columnWithoutObservedValue(rows: values.rows, lines: firstLine...lastLine),
                       source: source, column: column + 1, columnName: header[column])
    }
}
