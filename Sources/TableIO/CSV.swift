import Linalg

/// A numeric CSV table: column names, the cells as a `Matrix` (NaN = missing), and the text
/// the cells were read from.
///
/// Why keep the text: an imputer must change only the missing cells, and a data scientist
/// diffing input and output should see only those change. Re-printing observed numbers would
/// turn `0.10` into `0.1` and `6.1556e+05` into `615560.0`; writing the original bytes back
/// cannot. So a table read from CSV keeps the input bytes and the byte range of every row,
/// and the writer (`csvBytes(imputed:)`, `CSVWriter`) copies observed cells verbatim.
///
/// Read a whole file with `read(path:)`, `read(data:source:)` or `readStandardInput()`;
/// read a big file in row batches with `CSVReader`, each batch being a `CSVTable` itself.
public struct CSVTable: Sendable {
    /// Column names in file order, decoded (quotes removed, `""` un-escaped, blanks trimmed).
    public let header: [String]
    /// The cells, one row per data row, `Float.nan` where the file has a missing marker.
    public let values: Matrix
    /// How many cells are missing; zero means there is nothing to impute.
    public let missingCount: Int
    /// The input's line end, which output repeats.
    public let lineEnding: LineEnding
    /// The 1-based line of the first data row in the source (2 for a whole file with a
    /// one-line header; later for a batch of a streamed file).
    package let firstLine: Int
    /// Row-major indices of the cells that hold text rather than a number (read with
    /// `allowText`; always empty otherwise). Their `values` are NaN but they are observed.
    package let textCells: Set<Int>

    /// The header row as written, or nil for a table built in code.
    let headerText: [UInt8]?
    /// The data rows as written, or nil for a table built in code.
    let rowText: RowText?

    /// A table built in code rather than read: output prints every cell, and quotes names
    /// that need it.
    public init(header: [String], values: Matrix) {
        precondition(header.count == values.cols, "\(header.count) names for \(values.cols) columns")
        self.header = header
        self.values = values
        self.missingCount = values.storage.reduce(0) { $1.isNaN ? $0 + 1 : $0 }
        self.lineEnding = .lf
        self.firstLine = 2
        self.textCells = []
        self.headerText = nil
        self.rowText = nil
    }

    init(header: HeaderRow, rows: ParsedRows, bytes: [UInt8]) {
        self.header = header.names
        self.values = Matrix(rows: rows.count, cols: header.names.count, storage: rows.values)
        self.missingCount = rows.missingCount
        self.lineEnding = header.lineEnding
        self.firstLine = rows.firstLine ?? header.dataStart.line
        self.textCells = Set(rows.textCells)
        self.headerText = header.text
        self.rowText = RowText(bytes: bytes, starts: rows.rowStarts, ends: rows.rowEnds)
    }

    /// Whether any cell is missing.
    public var hasMissing: Bool { missingCount > 0 }
}

extension CSVTable {
    /// The line end written after row `i`: the input's, except where that would change bytes
    /// that were observed. A last row that ends the input with a bare `\r` (no `\n`) gets that
    /// `\r` back: the reader took it for the row's line end. A row whose text ends in `\r` (read
    /// with a `\r\n` line end in a `\n` file) gets `\r\n`: with `\n` it would read back as
    /// `\r\n` and lose that `\r`.
    func lineEnd(afterRow i: Int) -> [UInt8] {
        guard let text = rowText, i < text.ends.count else { return lineEnding.bytes }
        let end = text.ends[i]
        if i == values.rows - 1, end + 1 == text.bytes.count, text.bytes[end] == ASCII.carriageReturn {
            return [ASCII.carriageReturn]
        }
        if lineEnding == .lf, end > text.starts[i], text.bytes[end - 1] == ASCII.carriageReturn {
            return LineEnding.crlf.bytes
        }
        return lineEnding.bytes
    }
}

/// The text of a block of data rows: a byte buffer and where in it each row lies.
///
/// For a whole file the buffer is the file itself (no copy); for a streamed batch it is the
/// batch's slice of the input.
struct RowText: Sendable {
    var bytes: [UInt8]
    /// Row i is `bytes[starts[i]..<ends[i]]`, without its line end.
    var starts: [Int]
    var ends: [Int]
}
