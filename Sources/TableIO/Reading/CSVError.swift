/// A CSV table that cannot be read, with enough context to fix the file.
///
/// The message names the file (the display name the caller passed, such as the path or
/// `<stdin>`), the 1-based line, and the column as both its 1-based position and its header
/// name, e.g. `data.csv: line 7, column 3 ("age"): cannot read "12y" as a number …`.
public struct CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened or read; `reason` is the system's explanation.
        case unreadable(reason: String)
        /// No bytes, or only blanks and line ends.
        case emptyFile
        /// The first line is blank, so there is no header.
        case blankHeader
        /// A header row and nothing below it.
        case noDataRows
        /// A row with a different number of fields than the header (`got` is 1 for a blank line).
        case raggedRow(expected: Int, got: Int)
        /// A cell that is neither a number nor a missing marker; `text` is the cell as written.
        case notANumber(text: String)
        /// `inf`, `-Infinity` and other infinities.
        case infinite(text: String)
        /// A number too large for `Float`, such as `1e39`.
        case overflow(text: String)
        /// A number beyond `Double`'s range (readers in Double, `CSVTable.readDoubles`).
        case overflowDouble(text: String)
        /// A quoted field whose closing quote never comes.
        case unterminatedQuote
        /// Text between a closing quote and the next comma or line end.
        case textAfterQuote
        /// Every cell of the column is missing (`rows` data rows on `lines`), so nothing can be
        /// learned to impute it.
        case columnWithoutObservedValue(rows: Int, lines: ClosedRange<Int>)
        /// A missing cell (`text` as written: empty, `NA`, …) where the command needs a complete
        /// table (`CSVTable.requireComplete`).
        case missingCell(text: String)
        /// A categorical column with more than `limit` distinct values; the line is where the
        /// first one beyond the limit appears.
        case tooManyCategories(limit: Int)
        /// Every column is passed through, so nothing is left to impute from.
        case nothingToImpute
        /// A cell of a categorical column whose bytes (`bytes`, as written) are not UTF-8 text.
        case invalidUTF8(bytes: [UInt8])
        /// A column name whose bytes (`bytes`, as written) are not UTF-8 text.
        case nameNotUTF8(bytes: [UInt8])
    }

    /// What is wrong.
    public var kind: Kind
    /// The file's display name.
    public var source: String
    /// 1-based line of the problem, when it sits on one line.
    public var line: Int?
    /// 1-based column index, when the problem is in one column.
    public var column: Int?
    /// That column's header name.
    public var columnName: String?

    package init(_ kind: Kind, source: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil) {
        self.kind = kind
        self.source = source
        self.line = line
        self.column = column
        self.columnName = columnName
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let column {
            place.append(columnName.map { "column \(column) (\(quoted($0)))" } ?? "column \(column)")
        }
        let prefix = place.isEmpty ? "\(source): " : "\(source): \(place.joined(separator: ", ")): "
        return prefix + explanation
    }

    private var explanation: String {
        switch kind {
        case let .unreadable(reason):
            return "cannot read the file: \(reason)"
        case .emptyFile:
            return "the file is empty; expected a header row and data rows"
        case .blankHeader:
            return "the first line is blank; expected a header row of column names"
        case .noDataRows:
            return "the header has no data rows below it"
        case let .raggedRow(expected, got):
            let what = got == 1 && expected > 1 ? "got 1 (is the line blank or missing its commas?)" : "got \(got)"
            return "expected \(expected) fields like the header, \(what)"
        case let .notANumber(text):
            return "cannot read \(quoted(text)) as a number (write missing cells as empty, NA, NaN, nan or ?)"
        case let .infinite(text):
            return "\(quoted(text)) is infinite; only finite numbers or missing markers are allowed"
        case let .overflow(text):
            return "\(quoted(text)) is too large for a 32-bit float (largest is about 3.4e38)"
        case let .overflowDouble(text):
            return "\(quoted(text)) is too large for a 64-bit float (largest is about 1.8e308)"
        case .unterminatedQuote:
            return "a quoted field starts here but its closing quote never comes"
        case .textAfterQuote:
            return "unexpected text after a closing quote (write a quote inside a quoted field as \"\")"
        case let .columnWithoutObservedValue(rows, lines):
            let span = rows == 1 ? "the only data row (line \(lines.lowerBound)) misses" : "all \(rows) data rows (lines \(lines.lowerBound)-\(lines.upperBound)) miss"
            return "\(span) this column, so there is nothing to impute it from"
        case let .missingCell(text):
            let cell = text.isEmpty ? "the cell is empty (missing)" : "\(quoted(text)) marks a missing cell"
            return "\(cell); this command needs a complete table, with a number in every cell"
        case let .tooManyCategories(limit):
            return "more than \(limit) categories (the most a categorical column may have); pass the column through with --pass-through"
        case .nothingToImpute:
            return "every column is passed through, so there is nothing to impute from"
        case let .invalidUTF8(bytes):
            return "the cell \"\(escaped(bytes))\" is not UTF-8 text; categories are compared and written as text, "
                + "so convert the file to UTF-8 (iconv -f latin1 -t utf-8) or pass the column through with --pass-through"
        case let .nameNotUTF8(bytes):
            return "the column name \"\(escaped(bytes))\" is not UTF-8 text; names are compared as text, "
                + "so convert the file to UTF-8 (iconv -f latin1 -t utf-8)"
        }
    }

    /// Bytes shown as ASCII, others (and the backslash) as \xHH, cut after 24.
    private func escaped(_ bytes: [UInt8]) -> String {
        bytes.prefix(24).map { b -> String in
            (0x20..<0x7F).contains(b) && b != 0x5C ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2)
        }.joined() + (bytes.count > 24 ? "..." : "")
    }

    /// `text` in double quotes, shortened past 60 characters so a stray megabyte stays readable,
    /// its control characters escaped (a quoted field's line end) so the message is one line.
    private func quoted(_ text: String) -> String {
        let shown = text.count > 60 ? text.prefix(57) + "..." : Substring(text)
        return "\"\(String(shown).escapingControlCharacters)\""
    }
}

private extension String {
    /// `self` with zeros in front up to `width` characters.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
