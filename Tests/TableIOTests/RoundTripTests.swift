import Foundation
import TestSupport
import Testing
import Linalg
import TableIO

@Suite("Writing: observed cells verbatim, imputed cells exact")
struct RoundTripTests {
    /// `table.values` with every missing cell replaced by `fill(row, column)`.
    func completed(_ table: CSVTable, _ fill: (Int, Int) -> Float) -> Matrix {
        var out = table.values
        for i in 0..<out.rows { for j in 0..<out.cols where out[i, j].isNaN { out[i, j] = fill(i, j) } }
        return out
    }

    @Test("observed cells keep their exact text; only missing cells change")
    func verbatim() throws {
        let input = "\"id\", value ,\"x \"\"q\"\"\"\n0010, 1.50 ,6.1556e+05\n+.5,NA,\"3.0\"\n-0,  ?  ,1E-3\n"
        let table = try readCSV(input)
        let imputed = completed(table) { i, j in Float(i * 10 + j) + 0.1 }
        let out = String(decoding: try table.csvBytes(imputed: imputed), as: UTF8.self)
        #expect(out == "\"id\", value ,\"x \"\"q\"\"\"\n0010, 1.50 ,6.1556e+05\n+.5,11.1,\"3.0\"\n-0,21.1,1E-3\n")
    }

    @Test("a table with nothing missing is copied byte for byte, adding only a final newline")
    func copyThrough() throws {
        let input = "a,b\r\n1.000,2e0\r\n3,4"
        let table = try readCSV(input)
        #expect(try table.csvBytes(imputed: table.values) == Array((input + "\r\n").utf8))
    }

    @Test("imputed values read back to the exact Float")
    func imputedExact() throws {
        var random = SystemRandomNumberGenerator()
        var text = "a,b,c\n"
        for i in 0..<2_000 { text += i % 2 == 0 ? "\(i),NA,?\n" : "\(i),1,2\n" }
        let table = try readCSV(text)
        let imputed = completed(table) { _, _ in Float(bitPattern: random.next() & 0x7F7F_FFFF | (random.next() & 0x8000_0000)) }
        let back = try CSVTable.read(bytes: table.csvBytes(imputed: imputed), source: "out.csv")
        #expect(back.missingCount == 0)
        #expect(zip(back.values.storage, imputed.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test("the data overload matches the bytes, and the header can be left out")
    func dataAndHeaderless() throws {
        let table = try readCSV("a,b\n1,NA\n2,3\n")
        let imputed = completed(table) { _, _ in 0.5 }
        #expect(try table.csvData(imputed: imputed) == Data("a,b\n1,0.5\n2,3\n".utf8))
        #expect(try table.csvBytes(imputed: imputed, includeHeader: false) == Array("1,0.5\n2,3\n".utf8))
    }

    @Test("a table built in code prints every cell and quotes names that need it")
    func builtInCode() throws {
        let table = CSVTable(header: ["plain", "a,b", "say \"x\"", " padded"], values: Matrix([[1, .nan, 0.1, -0.0]]))
        #expect(table.missingCount == 1)
        let out = String(decoding: try table.csvBytes(imputed: Matrix([[0, 2.5, 0, 0]])), as: UTF8.self)
        #expect(out == "plain,\"a,b\",\"say \"\"x\"\"\",\" padded\"\n1.0,2.5,0.1,-0.0\n")
        let back = try readCSV(out)
        #expect(back.header == table.header)
    }

    @Test("protein.csv: shape right, written back byte for byte")
    func protein() throws {
        let path = try SharedDatasets.require("protein.csv")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let read = try CSVTable.read(path: path)
        #expect(read.values.rows == 45_730 && read.values.cols == 9)
        #expect(read.header == (0..<9).map { "x\($0)" })
        #expect(try read.csvBytes(imputed: read.values) == bytes)
        // Every cell agrees with the standard library's own parser.
        let cells = String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().flatMap { $0.split(separator: ",") }
        #expect(cells.count == read.values.count)
        #expect(zip(cells, read.values.storage).allSatisfy { Float($0)!.bitPattern == $1.bitPattern })
    }

    @Test("protein.csv with cells knocked out: observed text kept, imputed exact")
    func proteinMasked() throws {
        let path = try SharedDatasets.require("protein.csv")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var masked = [String(lines[0])]
        var original: [[Substring]] = []
        for (i, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            var cells = line.split(separator: ",", omittingEmptySubsequences: false)
            original.append(cells)
            for j in cells.indices where (i * 7 + j * 3) % 5 == 0 { cells[j] = ["", "NA", "?", " nan "][(i + j) % 4] }
            masked.append(cells.joined(separator: ","))
        }
        let table = try CSVTable.read(data: Data((masked.joined(separator: "\n") + "\n").utf8), source: "masked.csv")
        #expect(table.missingCount > 80_000)
        let imputed = completed(table) { i, j in Float(i) * 0.37 - Float(j) * 1e-7 }
        let out = String(decoding: try table.csvBytes(imputed: imputed), as: UTF8.self)
        let outRows = out.split(separator: "\n")
        #expect(outRows.count == original.count + 1)
        var mismatches = 0
        for (i, row) in outRows.dropFirst().enumerated() {
            for (j, cell) in row.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                if table.values[i, j].isNaN {
                    if Float(cell)?.bitPattern != imputed[i, j].bitPattern { mismatches += 1 }
                } else if cell != original[i][j] {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }
}

/// Found by fuzzing (Fuzz/CSVReaderFuzz.swift): a first column name that starts with U+FEFF,
/// after the byte order mark, lost that character in the round trip, because the written
/// header then started with what the reader takes for a byte order mark.
@Suite("Writing: a name that starts like a byte order mark")
struct ByteOrderMarkNameTests {
    @Test("a BOM, then a name starting with U+FEFF: the name reads back whole")
    func nameStartingWithBOM() throws {
        let table = try readCSV("\u{FEFF}\u{FEFF}a,b\n1,\n2,3\n")
        #expect(table.header == ["\u{FEFF}a", "b"])
        let written = try table.csvBytes(imputed: Matrix([[1, 0.5], [2, 3]]))
        #expect(try CSVTable.read(bytes: written, source: "out.csv").header == table.header)
        // Only then is a byte order mark written; an ordinary one is still not repeated.
        #expect(try readCSV("\u{FEFF}a,b\n1,\n2,3\n").csvBytes(imputed: Matrix([[1, 0.5], [2, 3]])) == Array("a,b\n1,0.5\n2,3\n".utf8))
        let built = CSVTable(header: ["\u{FEFF}x"], values: Matrix([[1]]))
        #expect(try CSVTable.read(bytes: built.csvBytes(imputed: built.values), source: "out.csv").header == ["\u{FEFF}x"])
    }
}
