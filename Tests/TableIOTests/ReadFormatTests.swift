import Foundation
import Testing
import Linalg
import TableIO

@Suite("Reading the CSV dialects data scientists have")
struct ReadFormatTests {
    @Test("header names and values, in order")
    func basic() throws {
        let table = try readCSV("a,b,c\n1,2.5,-3\n4,5e2,.25\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.values == Matrix([[1, 2.5, -3], [4, 500, 0.25]]))
        #expect(table.missingCount == 0)
        #expect(!table.hasMissing)
        #expect(table.firstLine == 2)
        #expect(table.lineEnding == .lf)
    }

    @Test("every missing marker, with and without surrounding blanks",
          arguments: ["", "NA", "NaN", "nan", "?", " ", "  NA ", "\tNaN", " nan\t", " ? "])
    func missingMarker(marker: String) throws {
        let table = try readCSV("a,b\n1,\(marker)\n\(marker),2\n3,4\n")
        #expect(table.values[0, 1].isNaN)
        #expect(table.values[1, 0].isNaN)
        #expect(table.values[0, 0] == 1 && table.values[1, 1] == 2)
        #expect(table.missingCount == 2)
    }

    @Test("look-alikes of missing markers are not missing", arguments: ["na", "N/A", "NAN", "null", "-nan", "??", "-"])
    func notMarkers(text: String) {
        #expect(csvErrorMessage("a,b\n1,2\n3,\(text)\n")?.contains("cannot read \"\(text)\" as a number") == true)
    }

    @Test("number spellings", arguments: [
        ("0", Float(0)), ("-0", -0.0), ("+1.5", 1.5), ("1.", 1), (".5", 0.5), ("-.5", -0.5),
        ("6.1556e+05", 615_560), ("1E3", 1000), ("2.5e-3", 0.0025), ("007", 7), (" 42 ", 42),
        ("0.1", 0.1), ("3.4028235e38", .greatestFiniteMagnitude), ("1e-45", .leastNonzeroMagnitude),
        ("1e-50", 0), ("123456789012345678901234567890", 1.2345679e29),
        ("0.000000000000000000000000000000000000011754944", .leastNormalMagnitude),
    ])
    func numbers(text: String, expected: Float) throws {
        let value = try readCSV("x,y\n\(text),1\n").values[0, 0]
        #expect(value.bitPattern == expected.bitPattern, "\(text) read as \(value)")
    }

    @Test("CRLF line ends, kept for output")
    func crlf() throws {
        let table = try readCSV("a,b\r\n1,NA\r\n3,4\r\n")
        #expect(table.values.row(0)[0] == 1 && table.values[0, 1].isNaN)
        #expect(table.values.row(1) == [3, 4])
        #expect(table.lineEnding == .crlf)
        let out = String(decoding: try table.csvBytes(imputed: Matrix([[1, 2], [3, 4]])), as: UTF8.self)
        #expect(out == "a,b\r\n1,2.0\r\n3,4\r\n")
    }

    @Test("no newline after the last row", arguments: ["a,b\n1,2\n3,4", "a,b\r\n1,2\r\n3,4", "a,b\n1,2\n3,4\r"])
    func noTrailingNewline(text: String) throws {
        let table = try readCSV(text)
        #expect(table.values == Matrix([[1, 2], [3, 4]]))
    }

    @Test("a missing cell last in a file without a final newline")
    func missingLastCell() throws {
        let table = try readCSV("a,b\n1,2\n3,")
        #expect(table.values.rows == 2 && table.values[1, 1].isNaN)
    }

    @Test("quoted header names with commas, escaped quotes, blanks and a line end")
    func quotedHeader() throws {
        let table = try readCSV("\"a,1\",\"say \"\"hi\"\"\", plain , \"multi\nline\"\n1,2,3,4\n")
        #expect(table.header == ["a,1", "say \"hi\"", "plain", "multi\nline"])
        #expect(table.firstLine == 3)
        #expect(table.values.row(0) == [1, 2, 3, 4])
    }

    @Test("non-ASCII header names")
    func unicodeHeader() throws {
        #expect(try readCSV("température,ñ,数据\n1,2,3\n").header == ["température", "ñ", "数据"])
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x,y\n1,2\n".utf8)
        let table = try CSVTable.read(bytes: bytes, source: "bom.csv")
        #expect(table.header == ["x", "y"])
        #expect(table.values.row(0) == [1, 2])
    }

    @Test("quoted numeric and missing cells")
    func quotedCells() throws {
        let table = try readCSV("a,b\n\"1.5\", \"NA\" \n3,4\n")
        #expect(table.values[0, 0] == 1.5 && table.values[0, 1].isNaN)
    }

    @Test("blank lines at the end of the file are ignored")
    func trailingBlankLines() throws {
        #expect(try readCSV("a,b\n1,2\n\n\n").values.rows == 1)
        #expect(try readCSV("a,b\r\n1,2\r\n\r\n").values.rows == 1)
        #expect(try readCSV("a\n1\n\n\n").values.rows == 1)
    }

    @Test("in a one-column table an inner blank line is a missing cell, not a dropped row")
    func oneColumnBlankLine() throws {
        let table = try readCSV("a\n1\n\n3\n")
        #expect(table.values.rows == 3)
        #expect(table.values[1, 0].isNaN)
    }

    @Test("Data and file entry points")
    func entryPoints() throws {
        let text = "a,b\n1,2\n"
        #expect(try CSVTable.read(data: Data(text.utf8), source: "d").values.row(0) == [1, 2])
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/in.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try CSVTable.read(path: path).values.row(0) == [1, 2])
    }

    @Test("a table with nothing missing reads fine")
    func nothingMissing() throws {
        #expect(try readCSV("a\n1\n2\n").missingCount == 0)
    }
}
