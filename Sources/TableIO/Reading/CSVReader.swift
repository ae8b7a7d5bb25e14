import Foundation

/// Reads a CSV file in batches of rows, so memory stays bounded however long the file is.
///
/// Why: `miri apply` imputes files far larger than memory should hold, one batch at a time.
/// The reader keeps only the current batch's text plus one read-ahead block of input; each
/// batch is a `CSVTable` (same header, `firstLine` telling where it starts) that `CSVWriter`
/// appends to the output.
///
/// Batches are checked exactly like a whole-file read, with one exception: a column with no
/// observed value is not an error here, since a trained model can still impute it.
///
///     let reader = try CSVReader(path: "big.csv")
///     let writer = CSVWriter(fileHandle: output, destination: "out.csv")
///     while let batch = try reader.nextBatch() {
///         try writer.write(batch, imputed: model.impute(batch.values))
///     }
public final class CSVReader {
    /// Column names, decoded, in file order.
    public var header: [String] { headerRow.names }
    /// The input's display name in error messages.
    public let source: String
    /// The most rows a batch holds.
    public let batchRows: Int

    private let handle: FileHandle
    private let headerRow: HeaderRow
    private var parser: RowParser
    /// Unconsumed input: the rest of the current block, starting at a row boundary.
    private var buffer: [UInt8]
    private var position: TextPosition
    private var atEnd: Bool
    private var rowsRead = 0

    /// Bytes asked of the input per read.
    private let blockSize: Int

    /// Reads the header from `fileHandle`; `source` names the input in errors. `blockSize` is
    /// how many bytes each read asks for (the default suits files; tests use tiny blocks to
    /// cut rows, quotes and line ends at every possible place).
    /// With `allowText`, cells that are not numbers are kept as text (as `CSVTable.read` keeps
    /// them): for a model with categorical or pass-through columns.
    public init(fileHandle: FileHandle, source: String, batchRows: Int = 65_536, blockSize: Int = 1 << 20,
                allowText: Bool = false) throws {
        precondition(batchRows > 0, "a batch needs at least one row")
        precondition(blockSize > 0, "reads need a positive size")
        self.handle = fileHandle
        self.blockSize = blockSize
        self.source = source
        self.batchRows = batchRows
        var buffer: [UInt8] = []
        var atEnd = false
        var header: HeaderRow?
        while true {
            header = try HeaderRow.parse(buffer, end: buffer.count, final: atEnd, source: source)
            if header != nil { break }
            let block = try FileInput.read(upTo: blockSize, from: fileHandle, source: source)
            if block.isEmpty { atEnd = true } else { buffer.append(contentsOf: block) }
        }
        self.headerRow = header!
        self.parser = RowParser(header: headerRow.names, source: source)
        self.parser.allowText = allowText
        self.buffer = buffer
        self.position = headerRow.dataStart
        self.atEnd = atEnd
    }

    /// Opens `path` and reads its header; errors name the file by `path`.
    public convenience init(path: String, batchRows: Int = 65_536, allowText: Bool = false) throws {
        try self.init(fileHandle: FileInput.open(path: path), source: path, batchRows: batchRows, allowText: allowText)
    }

    /// The next batch of at most `batchRows` rows, or nil once the input is exhausted.
    /// Throws `CSVError.Kind.noDataRows` if the file has a header only.
    public func nextBatch() throws -> CSVTable? {
        var rows = ParsedRows()
        let batchStart = position.offset
        while true {
            position = try parser.parse(buffer, from: position, end: buffer.count, final: atEnd,
                                        limit: batchRows, into: &rows)
            if rows.count == batchRows || atEnd { break }
            let block = try FileInput.read(upTo: blockSize, from: handle, source: source)
            if block.isEmpty { atEnd = true } else { buffer.append(contentsOf: block) }
        }
        if rows.count == 0 {
            if rowsRead == 0 { throw CSVError(.noDataRows, source: source, line: headerRow.dataStart.line) }
            return nil
        }
        rowsRead += rows.count

        // The batch keeps its own copy of its text; offsets move to that copy.
        let text = Array(buffer[batchStart..<position.offset])
        rows.rowStarts = rows.rowStarts.map { $0 - batchStart }
        rows.rowEnds = rows.rowEnds.map { $0 - batchStart }
        buffer.removeSubrange(0..<position.offset)
        position.offset = 0
        return CSVTable(header: headerRow, rows: rows, bytes: text)
    }
}
