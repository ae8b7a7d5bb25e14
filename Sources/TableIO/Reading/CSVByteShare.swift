import Foundation

/// One process's share of a CSV file read by P processes at once: the data rows that start in
/// its byte range, parsed by it alone, so no process reads or holds the whole file.
///
/// The body (after the header) is cut into P equal byte ranges. A row belongs to the range its
/// first byte lies in; rows start after a line end, so each process finds its first row start
/// by itself (`probe`), and after one exchange of the probes (`read(probes:)`) it knows where
/// its rows end (the next process's first row start) and which line they start on (the line
/// ends before its range, summed over the processes before it). The rows of the P shares, in
/// rank order, are the file's rows, each parsed and checked exactly as a whole-file read does.
///
/// A quoted field may hold a line end, which is then not a row boundary; a process cannot tell
/// that from its range alone, so a file with a `"` anywhere in its body is not split:
/// `read(probes:)` returns nil and every process reads the whole file instead.
///
///     var share = try CSVByteShare(path: "big.csv", rank: r, size: p)     // reads r's range
///     let probes = exchange(share.probe)                                   // every rank's, in rank order
///     let block = try share.read(probes: probes, allowText: false)         // r's rows, or nil
package struct CSVByteShare {
    /// What one process finds in its range, which the others need.
    package struct Probe: Equatable, Sendable {
        /// Line ends in the nominal range.
        package var newlines: Int
        /// `"` bytes in the nominal range.
        package var quotes: Int
        /// The first row start at or after the nominal range's start (the file's size if none).
        package var rowStart: Int
        /// Line ends between the nominal range's start and `rowStart`.
        package var newlinesBeforeRowStart: Int

        package init(newlines: Int, quotes: Int, rowStart: Int, newlinesBeforeRowStart: Int) {
            self.newlines = newlines
            self.quotes = quotes
            self.rowStart = rowStart
            self.newlinesBeforeRowStart = newlinesBeforeRowStart
        }

        /// As four integers, for exchanging.
        package var fields: [Int] { [newlines, quotes, rowStart, newlinesBeforeRowStart] }
        package init(fields f: [Int]) {
            self.init(newlines: f[0], quotes: f[1], rowStart: f[2], newlinesBeforeRowStart: f[3])
        }
    }

    package let path: String
    package let rank: Int
    package let size: Int
    /// The file's length in bytes.
    package let fileSize: Int
    /// This process's nominal range of the body.
    package let nominal: Range<Int>
    package let probe: Probe
    private let header: HeaderRow
    private let handle: FileHandle
    /// Bytes per read while scanning.
    private static let block = 1 << 22

    /// Reads the header and scans this process's nominal range (rank `rank` of `size`).
    package init(path: String, rank: Int, size: Int) throws {
        precondition(size > 0 && (0..<size).contains(rank), "rank \(rank) of \(size)")
        self.path = path
        self.rank = rank
        self.size = size
        handle = try FileInput.open(path: path)
        fileSize = try Self.length(handle, source: path)
        var buffer: [UInt8] = []
        var found: HeaderRow?
        while found == nil {
            let chunk = try FileInput.read(upTo: Self.block, from: handle, source: path)
            buffer += chunk
            found = try HeaderRow.parse(buffer, end: buffer.count, final: chunk.isEmpty, source: path)
        }
        header = found!
        let body = fileSize - header.dataStart.offset
        let start = header.dataStart.offset + body * rank / size, end = header.dataStart.offset + body * (rank + 1) / size
        nominal = start..<end
        var newlines = 0, quotes = 0
        try Self.scan(handle, from: start, to: end, source: path) { bytes in
            for b in bytes { if b == ASCII.newline { newlines += 1 } else if b == ASCII.quote { quotes += 1 } }
            return true
        }
        var rowStart = fileSize, skipped = 0
        if rank == 0 || start >= fileSize {
            rowStart = rank == 0 ? header.dataStart.offset : fileSize
        } else {
            // A row starts at `start` when the byte before it ends a line; else after the next line end.
            var position = start - 1
            try Self.scan(handle, from: start - 1, to: fileSize, source: path) { bytes in
                for b in bytes {
                    if b == ASCII.newline {
                        rowStart = position + 1
                        if position >= start { skipped = 1 }
                        return false
                    }
                    position += 1
                }
                return true
            }
        }
        probe = Probe(newlines: newlines, quotes: quotes, rowStart: rowStart, newlinesBeforeRowStart: skipped)
    }

    /// This process's rows, given every process's probe in rank order; nil when the body holds a
    /// quote (the file cannot be split by line ends: read it whole). Throws what a whole-file
    /// read throws for these rows, with the file's line numbers; an empty share is no error.
    package func read(probes: [Probe], allowText: Bool) throws -> CSVTable? {
        precondition(probes.count == size && probes[rank] == probe, "every rank's probe, in rank order")
        if probes.contains(where: { $0.quotes > 0 }) { return nil }
        let start = probe.rowStart, end = rank + 1 < size ? probes[rank + 1].rowStart : fileSize
        let line = header.dataStart.line + probes[..<rank].reduce(0) { $0 + $1.newlines } + probe.newlinesBeforeRowStart
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start + 1)
        try Self.scan(handle, from: start, to: end, source: path) { bytes += $0; return true }
        // Blank lines at the end of the range are rows when a row follows in the file, and
        // ignored (as at the end of a file) when none does; a byte that is no line end after
        // them tells the parser which, and being cut off it is never parsed.
        let rowFollows = try end < fileSize && hasContent(from: end)
        if rowFollows { bytes.append(ASCII.comma) }
        var rows = ParsedRows()
        var parser = RowParser(header: header.names, source: path)
        parser.allowText = allowText
        _ = try parser.parse(bytes, from: TextPosition(offset: 0, line: line), end: bytes.count, final: !rowFollows,
                             limit: .max, into: &rows)
        if rowFollows { bytes.removeLast() }
        return CSVTable(header: header, rows: rows, bytes: bytes)
    }

    /// The line of the file's first data row.
    package var firstDataLine: Int { header.dataStart.line }

    /// The error for a file whose shares all came back empty.
    package var noDataRows: CSVError { CSVError(.noDataRows, source: path, line: header.dataStart.line) }

    /// Whether a byte other than a line end lies at or after `offset`.
    private func hasContent(from offset: Int) throws -> Bool {
        var found = false
        try Self.scan(handle, from: offset, to: fileSize, source: path) { bytes in
            found = bytes.contains { $0 != ASCII.newline && $0 != ASCII.carriageReturn }
            return !found
        }
        return found
    }

    /// Reads `from ..< to` in blocks, handing each to `body` until it returns false.
    private static func scan(_ handle: FileHandle, from: Int, to: Int, source: String, _ body: (Data) -> Bool) throws {
        guard from < to else { return }
        do { try handle.seek(toOffset: UInt64(from)) } catch { throw CSVError(.unreadable(reason: FileInput.reason(for: error)), source: source) }
        var left = to - from
        while left > 0 {
            let chunk = try FileInput.read(upTo: min(left, block), from: handle, source: source)
            if chunk.isEmpty { throw CSVError(.unreadable(reason: "the file became shorter while it was read"), source: source) }
            left -= chunk.count
            if !body(chunk) { return }
        }
    }

    private static func length(_ handle: FileHandle, source: String) throws -> Int {
        do {
            let end = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            return Int(end)
        } catch {
            throw CSVError(.unreadable(reason: FileInput.reason(for: error)), source: source)
        }
    }
}
