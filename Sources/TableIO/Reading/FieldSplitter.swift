/// One field of a CSV record, located in the input bytes.
struct Field {
    /// What ends a field.
    enum Terminator: Equatable {
        case comma
        /// `\n`, or `\r\n` when `crlf`.
        case lineEnd(crlf: Bool)
        /// The end of the input, without a line end.
        case endOfInput
    }

    /// The field as written: blanks and quotes included, separator and line end excluded.
    /// Writing these bytes back reproduces the field exactly.
    var raw: Range<Int>
    /// The text to interpret: inside the quotes (with `""` still doubled) for a quoted field,
    /// else the same as `raw`.
    var content: Range<Int>
    var isQuoted: Bool
    /// Line ends inside the quotes (a quoted field may span lines).
    var newlines: Int
    var terminator: Terminator
    /// Where the next field or record starts.
    var next: Int
}

/// The outcome of looking for one field.
enum FieldScan {
    case field(Field)
    /// The bytes end before the field does and more may follow: read more, then retry.
    case incomplete
    case malformed(CSVError.Kind)
}

/// Splits CSV bytes into fields, the one place that knows the quoting rules.
///
/// Rules (RFC 4180 plus what spreadsheets and pandas produce): fields are separated by
/// commas; records end at `\n` or `\r\n`; a field whose first non-blank byte is `"` is
/// quoted, runs to the matching closing quote (`""` inside stands for one quote, commas and
/// line ends inside are text) and may be followed only by blanks; a quote elsewhere is text.
/// The reader, the header parser and the writer all split with this function, so the writer
/// finds exactly the fields the reader saw.
enum FieldSplitter {
    /// The field starting at `start`, looking no further than `end`.
    ///
    /// With `final` false, running into `end` means "incomplete" (more input may follow);
    /// with `final` true, `end` is the end of the input and ends the last field.
    static func field(in bytes: [UInt8], at start: Int, end: Int, final: Bool) -> FieldScan {
        var i = start
        while i < end, CellScanner.isBlank(bytes[i]) { i += 1 }
        if i < end, bytes[i] == ASCII.quote { return quotedField(in: bytes, start: start, quote: i, end: end, final: final) }

        while i < end {
            let byte = bytes[i]
            if byte == ASCII.comma || byte == ASCII.newline { break }
            i += 1
        }
        if i == end {
            if !final { return .incomplete }
            let rawEnd = (i > start && bytes[i - 1] == ASCII.carriageReturn) ? i - 1 : i
            return .field(Field(raw: start..<rawEnd, content: start..<rawEnd, isQuoted: false, newlines: 0, terminator: .endOfInput, next: end))
        }
        if bytes[i] == ASCII.comma {
            return .field(Field(raw: start..<i, content: start..<i, isQuoted: false, newlines: 0, terminator: .comma, next: i + 1))
        }
        let crlf = i > start && bytes[i - 1] == ASCII.carriageReturn
        let rawEnd = crlf ? i - 1 : i
        return .field(Field(raw: start..<rawEnd, content: start..<rawEnd, isQuoted: false, newlines: 0, terminator: .lineEnd(crlf: crlf), next: i + 1))
    }

    private static func quotedField(in bytes: [UInt8], start: Int, quote: Int, end: Int, final: Bool) -> FieldScan {
        var i = quote + 1
        var newlines = 0
        while true {
            if i >= end { return final ? .malformed(.unterminatedQuote) : .incomplete }
            let byte = bytes[i]
            if byte == ASCII.quote {
                if i + 1 < end, bytes[i + 1] == ASCII.quote { i += 2; continue }
                if i + 1 == end, !final { return .incomplete }   // `"` or `""`? The next byte decides.
                break
            }
            if byte == ASCII.newline { newlines += 1 }
            i += 1
        }
        let content = (quote + 1)..<i
        var k = i + 1
        while k < end, CellScanner.isBlank(bytes[k]) { k += 1 }
        let raw = start..<k
        func make(_ terminator: Field.Terminator, next: Int) -> FieldScan {
            .field(Field(raw: raw, content: content, isQuoted: true, newlines: newlines, terminator: terminator, next: next))
        }
        if k == end { return final ? make(.endOfInput, next: end) : .incomplete }
        switch bytes[k] {
        case ASCII.comma:
            return make(.comma, next: k + 1)
        case ASCII.newline:
            return make(.lineEnd(crlf: false), next: k + 1)
        case ASCII.carriageReturn where k + 1 < end && bytes[k + 1] == ASCII.newline:
            return make(.lineEnd(crlf: true), next: k + 2)
        case ASCII.carriageReturn where k + 1 == end:
            return final ? make(.endOfInput, next: end) : .incomplete
        default:
            return .malformed(.textAfterQuote)
        }
    }

    /// The text of a field: unquoted and un-escaped when quoted, blanks trimmed when not.
    static func text(of field: Field, in bytes: [UInt8]) -> String {
        if field.isQuoted {
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(field.content.count)
            var i = field.content.lowerBound
            while i < field.content.upperBound {
                unescaped.append(bytes[i])
                i += bytes[i] == ASCII.quote ? 2 : 1   // inside quotes, a quote is always doubled
            }
            return String(decoding: unescaped, as: UTF8.self)
        }
        var lo = field.content.lowerBound, hi = field.content.upperBound
        while lo < hi, CellScanner.isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, CellScanner.isBlank(bytes[hi - 1]) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// The raw fields of one record known to be well formed, e.g. a row the reader accepted.
    static func rawFields(in bytes: [UInt8], record: Range<Int>) -> [Range<Int>] {
        fields(in: bytes, record: record).map(\.raw)
    }

    /// The fields of one record known to be well formed, e.g. a row the reader accepted.
    static func fields(in bytes: [UInt8], record: Range<Int>) -> [Field] {
        var fields: [Field] = []
        var i = record.lowerBound
        while true {
            guard case let .field(field) = field(in: bytes, at: i, end: record.upperBound, final: true) else {
                preconditionFailure("fields(in:record:) called on a record the reader did not accept")
            }
            fields.append(field)
            guard field.terminator == .comma else { return fields }
            i = field.next
        }
    }
}
