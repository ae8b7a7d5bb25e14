import Foundation
import Testing
import Linalg
import TableIO

@Suite("Streaming: CSVReader batches and CSVWriter")
struct StreamingTests {
    /// BOM, a header spanning two lines, CRLF, quoted cells, every marker, trailing blank lines.
    static let tricky = "\u{FEFF}\"multi\nline\",b , \"c\"\"\"\r\n1,NA,\"3\"\r\n"
        + (0..<40).map { i in i % 3 == 0 ? "\(i), ? ,\(Double(i) / 8)\r\n" : "\(i),\"\(i * 2)\",  \r\n" }.joined()
        + "99,1e3,-0\r\n\r\n\n"

    /// Writes `text` to a temporary file and returns its path (the folder is removed by `cleanup`).
    func temporaryFile(_ text: String) throws -> (path: String, cleanup: () -> Void) {
        let folder = try makeTemporaryFolder()
        let path = folder + "/in.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (path, { try? FileManager.default.removeItem(atPath: folder) })
    }

    /// All batches of `text` read with the given sizes.
    func batches(_ text: String, batchRows: Int, blockSize: Int) throws -> [CSVTable] {
        let (path, cleanup) = try temporaryFile(text)
        defer { cleanup() }
        let reader = try CSVReader(fileHandle: FileHandle(forReadingAtPath: path)!, source: "in.csv",
                                   batchRows: batchRows, blockSize: blockSize)
        var out: [CSVTable] = []
        while let batch = try reader.nextBatch() { out.append(batch) }
        #expect(try reader.nextBatch() == nil)
        return out
    }

    @Test("batches equal the whole-file read for every batch and block size",
          arguments: [1, 2, 3, 7, 64], [1, 2, 5, 1_000])
    func matchesWholeFile(blockSize: Int, batchRows: Int) throws {
        let whole = try readCSV(Self.tricky)
        let parts = try batches(Self.tricky, batchRows: batchRows, blockSize: blockSize)
        #expect(parts.count == (whole.values.rows + batchRows - 1) / batchRows)
        #expect(parts.allSatisfy { $0.header == whole.header && $0.values.rows <= batchRows })
        let storage = parts.flatMap { $0.values.storage }
        #expect(storage.count == whole.values.storage.count)
        #expect(zip(storage, whole.values.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
        // Each batch knows the line it starts on: the header spans lines 1-2.
        var line = 3
        for part in parts {
            #expect(part.firstLine == line)
            line += part.values.rows
        }
    }

    @Test("CSVWriter output equals the whole-table output", arguments: [1, 4, 1_000])
    func writerMatchesWholeTable(batchRows: Int) throws {
        let whole = try readCSV(Self.tricky)
        let fill: (Matrix) -> Matrix = { m in Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map { $0.isNaN ? 0.25 : $0 }) }
        let expected = try whole.csvBytes(imputed: fill(whole.values))

        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.tricky.utf8).write(to: URL(fileURLWithPath: folder + "/in.csv"))
        let reader = try CSVReader(path: folder + "/in.csv", batchRows: batchRows)
        try AtomicFile.write(to: folder + "/out.csv") { handle in
            let writer = CSVWriter(fileHandle: handle, destination: folder + "/out.csv")
            while let batch = try reader.nextBatch() { try writer.write(batch, imputed: fill(batch.values)) }
        }
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/out.csv"))) == expected)
    }

    @Test("errors in later batches report their true line and column")
    func errorLine() throws {
        let text = "a,b\n" + (0..<100).map { "\($0),1\n" }.joined() + "5,oops\n"
        #expect {
            _ = try batches(text, batchRows: 7, blockSize: 13)
        } throws: { error in
            (error as? CSVError)?.description.hasPrefix("in.csv: line 102, column 2 (\"b\"): cannot read \"oops\"") == true
        }
    }

    @Test("a header with no rows is an error on the first batch")
    func headerOnly() throws {
        #expect {
            _ = try batches("a,b\n\n", batchRows: 4, blockSize: 2)
        } throws: { error in
            (error as? CSVError)?.description == "in.csv: line 2: the header has no data rows below it"
        }
    }

    @Test("an empty input is an error when the reader opens")
    func empty() throws {
        #expect(throws: CSVError.self) { _ = try batches("", batchRows: 4, blockSize: 2) }
    }
}
