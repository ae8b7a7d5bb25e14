import Foundation
import Linalg
import TableIO
import Testing

/// Reading and writing back: a bare `\r` ending the input, column names that are not UTF-8, and
/// reading numbers in Double as written (for analyses).
@Suite("CSV: bare CR at the end, non-UTF-8 names, numbers in Double")
struct CSVReliabilityThreeTests {
    @Test("a last row ending the input with a bare \\r keeps it when written back, LF or CRLF file, whole or streamed")
    func bareCarriageReturnAtEnd() throws {
        for (input, expected) in [("a,b\n1,2\n,3\n4,5\r", "a,b\n1,2\n0.5,3\n4,5\r"),
                                  ("a,b\r\n1,2\r\n,3\r\n4,5\r", "a,b\r\n1,2\r\n0.5,3\r\n4,5\r"),
                                  ("a,b\n1,2\n4,\r", "a,b\n1,2\n4,0.5\r"),
                                  ("a,b\n1,2\n,3\n4,5\r\n", "a,b\n1,2\n0.5,3\n4,5\n"),
                                  ("a,b\n1,2\n,3\n4,5", "a,b\n1,2\n0.5,3\n4,5\n")] {
            let table = try readCSV(input)
            var imputed = table.values
            for k in imputed.storage.indices where imputed.storage[k].isNaN { imputed.storage[k] = 0.5 }
            #expect(String(decoding: try table.csvBytes(imputed: imputed), as: UTF8.self) == expected, "\(Array(input.utf8))")

            let folder = try makeTemporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let path = folder + "/t.csv"
            try Data(input.utf8).write(to: URL(fileURLWithPath: path))
            let reader = try CSVReader(path: path, batchRows: 1)
            var streamed: [UInt8] = []
            table.appendHeader(to: &streamed)
            while let batch = try reader.nextBatch() {
                var values = batch.values
                for k in values.storage.indices where values.storage[k].isNaN { values.storage[k] = 0.5 }
                streamed += try batch.csvBytes(imputed: values, includeHeader: false)
            }
            #expect(String(decoding: streamed, as: UTF8.self) == expected, "streamed \(Array(input.utf8))")
        }
    }

    @Test("a cell ending in \\r before a \\r\\n line end in a \\n file keeps its \\r: that row is written with \\r\\n")
    func cellEndingInCarriageReturn() throws {
        let input = Array("a,b\nx,1\ny,\r\r\nz,\n".utf8)
        let table = try CSVTable.read(bytes: input, source: "t.csv", allowText: true)
        let written = table.csvBytes { _, _ in "0" }
        #expect(written == Array("a,b\nx,1\ny,\r\r\nz,0\n".utf8), "\(written)")
        #expect(try CSVTable.read(bytes: written, source: "out.csv", allowText: true).textCells == table.textCells)
    }

    @Test("a column name that is not UTF-8 is refused, naming line, column and bytes")
    func nonUTF8Name() throws {
        let bytes = Array("x,a".utf8) + [0xFF] + Array("\n1,2\n".utf8)
        #expect(throws: CSVError.self) { try CSVTable.read(bytes: bytes, source: "t.csv") }
        do {
            _ = try CSVTable.read(bytes: bytes, source: "t.csv")
        } catch let error as CSVError {
            #expect(error.description == "t.csv: line 1, column 2: the column name \"a\\xFF\" is not UTF-8 text; names are compared as text, so convert the file to UTF-8 (iconv -f latin1 -t utf-8)")
        }
        let quoted = Array("\"b".utf8) + [0xFE] + Array("\",x\n1,2\n".utf8)
        #expect(throws: CSVError.self) { try CSVTable.read(bytes: quoted, source: "t.csv") }
        // UTF-8 names, and the replacement character written as UTF-8, are fine.
        #expect(try CSVTable.read(bytes: Array("é,\u{FFFD}\n1,2\n".utf8), source: "t.csv").header == ["é", "\u{FFFD}"])
    }

    @Test("readDoubles: each cell the nearest Double to its text, beyond Float's range and precision; beyond Double's refused")
    func doubles() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/d.csv"
        try Data("y,z\n100000001,1e39\n100000003, 1e-300 \nNA,-2.5e300\n".utf8).write(to: URL(fileURLWithPath: path))
        let (table, values) = try CSVTable.readDoubles(path: path)
        #expect(table.header == ["y", "z"] && table.values.rows == 3)
        #expect(values[0] == 100000001 && values[1] == 1e39 && values[2] == 100000003 && values[3] == 1e-300)
        #expect(values[4].isNaN && values[5] == -2.5e300)
        #expect(Float(values[2]) == 100000000 && Float(values[3]) == 0, "what a Float read would have kept")

        try Data("y\n1\n1e400\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CSVTable.readDoubles(path: path)
            Issue.record("1e400 read")
        } catch let error as CSVError {
            #expect(error.description == "\(path): line 3, column 1 (\"y\"): \"1e400\" is too large for a 64-bit float (largest is about 1.8e308)")
        }
        // The Float reader still refuses what does not fit a Float.
        try Data("y\n1\n1e39\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CSVError.self) { try CSVTable.read(path: path) }
    }
}
