/// A place in the input: byte offset and the 1-based line it is on.
struct TextPosition: Equatable {
    var offset: Int
    var line: Int
}

/// Data rows parsed so far: the values and where each row's text lies.
struct ParsedRows {
    /// Row-major cells, NaN where missing.
    var values: [Float] = []
    /// Each row's text, without its line end, as offsets into the parsed bytes.
    var rowStarts: [Int] = []
    var rowEnds: [Int] = []
    /// The line each row starts on.
    var firstLine: Int?
    var lastLine: Int?
    var missingCount = 0
    /// Flat row-major indices of text cells (read with `allowText`): observed, but not numbers.
    var textCells: [Int] = []

    var count: Int { rowStarts.count }
}

/// Turns the data rows of CSV bytes into `Float`s, checking every cell.
///
/// Works on a window of bytes so the same code serves the whole-file reader (one call, the
/// entire file, `final` true) and the streaming reader (one call per block of input, `final`
/// only once the input is exhausted). Rows are all or nothing: a row cut off by the end of the
/// window is left for the next call.
///
/// Blank lines: a run of blank lines at the very end of the input is ignored (editors add
/// them); anywhere else a blank line is a row with one empty field, so it is a missing cell
/// in a one-column table and a ragged-row error otherwise, never silently dropped, since the
/// output must keep the input's rows one for one.
struct RowParser {
    let header: [String]
    let source: String
    /// Keep a cell that is not a number as text (NaN in `values`, its index in `textCells`)
    /// instead of refusing it: for tables with categorical or identifier columns.
    var allowText = false
    /// Keep a number beyond `Float`'s range the same way (as a text cell) instead of refusing it:
    /// for readers that convert the text to `Double` themselves (`CSVTable.readDoubles`).
    var keepsOverflow = false

    /// Parses rows from `position` until `limit` rows are in `rows`, or the window
    /// `..<end` runs out. Returns where parsing stopped.
    func parse(_ bytes: [UInt8], from position: TextPosition, end: Int, final: Bool,
               limit: Int, into rows: inout ParsedRows) throws -> TextPosition {
        let columns = header.count
        var position = position
        var contentAfterBlanks = -1   // a non-blank byte known to follow the current blank run

        while rows.count < limit, position.offset < end {
            if startsBlankLine(bytes, at: position.offset, end: end) {
                if position.offset >= contentAfterBlanks {
                    var k = position.offset
                    while k < end, bytes[k] == ASCII.newline || bytes[k] == ASCII.carriageReturn { k += 1 }
                    if k == end { return final ? TextPosition(offset: end, line: position.line) : position }
                    contentAfterBlanks = k
                }
                if columns > 1 {
                    throw CSVError(.raggedRow(expected: columns, got: 1), source: source, line: position.line)
                }
            }
            guard let next = try parseRow(bytes, at: position, end: end, final: final, into: &rows) else {
                return position
            }
            position = next
        }
        return position
    }

    /// Parses one row, or returns nil (and appends nothing) when the window cuts it off.
    private func parseRow(_ bytes: [UInt8], at start: TextPosition, end: Int, final: Bool,
                          into rows: inout ParsedRows) throws -> TextPosition? {
        let columns = header.count
        let valuesBefore = rows.values.count
        let missingBefore = rows.missingCount
        let textBefore = rows.textCells.count
        var column = 0
        var line = start.line
        var offset = start.offset
        var firstCellError: CSVError?   // reported only if the field count is right
        var cellsValid = true           // firstCellError == nil, cheaper to test per cell

        while true {
            let field: Field
            switch FieldSplitter.field(in: bytes, at: offset, end: end, final: final) {
            case let .field(found):
                field = found
            case .incomplete:
                rows.values.removeSubrange(valuesBefore...)
                rows.missingCount = missingBefore
                rows.textCells.removeSubrange(textBefore...)
                return nil
            case let .malformed(kind):
                throw error(kind, line: line, column: column)
            }

            if column < columns, cellsValid {
                let range = field.isQuoted ? field.content : field.raw
                switch CellScanner.scan(bytes, range) {
                case let .number(value):
                    rows.values.append(value)
                case .missing:
                    rows.values.append(.nan)
                    rows.missingCount += 1
                case .infinite:
                    cellsValid = false
                    firstCellError = error(.infinite(text: cellText(bytes, field)), line: line, column: column)
                case .overflow where keepsOverflow:
                    rows.textCells.append(rows.values.count)
                    rows.values.append(.nan)
                case .overflow:
                    cellsValid = false
                    firstCellError = error(.overflow(text: cellText(bytes, field)), line: line, column: column)
                case .invalid where allowText:
                    rows.textCells.append(rows.values.count)
                    rows.values.append(.nan)
                case .invalid:
                    cellsValid = false
                    firstCellError = error(.notANumber(text: cellText(bytes, field)), line: line, column: column)
                }
            }
            column += 1
            line += field.newlines
            if field.terminator == .comma {
                offset = field.next
                continue
            }
            if column != columns {
                throw CSVError(.raggedRow(expected: columns, got: column), source: source, line: start.line)
            }
            if !cellsValid, let firstCellError { throw firstCellError }
            rows.rowStarts.append(start.offset)
            rows.rowEnds.append(field.raw.upperBound)
            if rows.firstLine == nil { rows.firstLine = start.line }
            rows.lastLine = start.line
            return TextPosition(offset: field.next, line: line + 1)
        }
    }

    /// Whether a line with no bytes before its line end starts at `offset`.
    private func startsBlankLine(_ bytes: [UInt8], at offset: Int, end: Int) -> Bool {
        let byte = bytes[offset]
        if byte == ASCII.newline { return true }
        return byte == ASCII.carriageReturn && (offset + 1 == end || bytes[offset + 1] == ASCII.newline)
    }

    private func error(_ kind: CSVError.Kind, line: Int, column: Int) -> CSVError {
        let name = column < header.count ? header[column] : nil
        return CSVError(kind, source: source, line: line, column: column + 1, columnName: name)
    }

    /// A bad cell's text for the message: the content inside quotes, or the trimmed raw text.
    private func cellText(_ bytes: [UInt8], _ field: Field) -> String {
        FieldSplitter.text(of: field, in: bytes)
    }
}
