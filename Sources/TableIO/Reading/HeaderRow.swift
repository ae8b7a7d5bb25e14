/// How the lines of a CSV file end. Output keeps the input's style.
public enum LineEnding: String, Sendable {
    /// "\n".
    case lf = "\n"
    /// "\r\n".
    case crlf = "\r\n"

    var bytes: [UInt8] { Array(rawValue.utf8) }
}

/// The first row of a CSV file: the column names.
struct HeaderRow {
    /// Decoded names: quotes removed and `""` un-escaped for quoted names, blanks trimmed for others.
    var names: [String]
    /// The row as written (without byte order mark and line end), so output repeats it exactly.
    var text: [UInt8]
    var lineEnding: LineEnding
    /// Where the first data row starts.
    var dataStart: TextPosition

    /// Parses the header at the start of `bytes[..<end]`, skipping a UTF-8 byte order mark.
    ///
    /// Returns nil when the window ends before the header does and more input may follow
    /// (`final` false). Throws for an empty input or a blank first line. A header with no line
    /// end is accepted here; the caller then finds no data rows.
    /// UTF-8's encoding of U+FEFF, skipped at the start of the input.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func parse(_ bytes: [UInt8], end: Int, final: Bool, source: String) throws -> HeaderRow? {
        if !final, end < byteOrderMark.count, bytes[..<end].elementsEqual(byteOrderMark.prefix(end)) { return nil }
        let start = bytes[..<end].starts(with: byteOrderMark) ? byteOrderMark.count : 0

        var lineEnd = start
        while lineEnd < end, bytes[lineEnd] != ASCII.newline { lineEnd += 1 }
        let firstLine = bytes[start..<lineEnd]
        if firstLine.allSatisfy({ CellScanner.isBlank($0) || $0 == ASCII.carriageReturn }) {
            let restIsBlank = bytes[start..<end].allSatisfy {
                CellScanner.isBlank($0) || $0 == ASCII.carriageReturn || $0 == ASCII.newline
            }
            if !restIsBlank { throw CSVError(.blankHeader, source: source, line: 1) }
            if final { throw CSVError(.emptyFile, source: source, line: 1) }
            return nil
        }

        var names: [String] = []
        var offset = start
        var line = 1
        while true {
            switch FieldSplitter.field(in: bytes, at: offset, end: end, final: final) {
            case .incomplete:
                return nil
            case let .malformed(kind):
                throw CSVError(kind, source: source, line: line, column: names.count + 1)
            case let .field(field):
                // Names are matched as text (a model's columns, analyze's files); two different
                // invalid byte strings would decode to the same replacement characters.
                let written = bytes[field.isQuoted ? field.content : field.raw]
                if String(validating: written, as: UTF8.self) == nil {
                    throw CSVError(.nameNotUTF8(bytes: Array(written)), source: source, line: line, column: names.count + 1)
                }
                names.append(FieldSplitter.text(of: field, in: bytes))
                line += field.newlines
                switch field.terminator {
                case .comma:
                    offset = field.next
                case let .lineEnd(crlf):
                    return HeaderRow(names: names, text: Array(bytes[start..<field.raw.upperBound]),
                                     lineEnding: crlf ? .crlf : .lf,
                                     dataStart: TextPosition(offset: field.next, line: line + 1))
                case .endOfInput:
                    return HeaderRow(names: names, text: Array(bytes[start..<field.raw.upperBound]),
                                     lineEnding: .lf, dataStart: TextPosition(offset: end, line: line + 1))
                }
            }
        }
    }
}
