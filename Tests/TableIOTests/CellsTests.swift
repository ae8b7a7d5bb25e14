import Foundation
import Linalg
import Testing
@testable import TableIO

/// `doubleValues`, `requireComplete` and `csvBytes(blanking:)`: what `miri ampute` reads and writes.
@Suite struct CellsTests {
    static func table(_ text: String) throws -> CSVTable {
        try CSVTable.read(bytes: Array(text.utf8), source: "t.csv")
    }

    @Test func doubleValuesRoundTheTextNotTheFloat() throws {
        let t = try Self.table("a,b,c\n0.1, 7 ,\"2.5\"\n1e-50,NA,\" -0.3 \"\n")
        let d = t.doubleValues()
        // 0.1 as a Double is not 0.1 as a Float widened (0.10000000149011612).
        #expect(d[0] == 0.1 && d[0] != Double(Float(0.1)))
        #expect(d[1] == 7 && d[2] == 2.5)
        #expect(d[3] == 1e-50, "below Float's range, yet a Double")
        #expect(d[4].isNaN && d[5] == -0.3, "blanks inside quotes trimmed, not a fallback to the Float")
        let built = CSVTable(header: ["x"], values: Matrix([[0.1]]))
        #expect(built.doubleValues() == [Double(Float(0.1))])
    }

    @Test func requireCompleteNamesTheFirstMissingCell() throws {
        try Self.table("a,b\n1,2\n3,4\n").requireComplete(source: "t.csv")
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3,NA\n5,\n", #"t.csv: line 3, column 2 ("b"): "NA" marks a missing cell; this command needs a complete table"#),
            ("a,b\n1,2\n,4\n", #"t.csv: line 3, column 1 ("a"): the cell is empty (missing); this command needs a complete table"#),
            // A header spanning two lines: the data start on line 3; the name's line end is escaped (one line).
            ("a,\"b\nc\"\r\n1,2\r\n3,?\r\n", #"t.csv: line 4, column 2 ("b\nc"): "?" marks a missing cell"#),
        ]
        for (text, message) in cases {
            let error = try #require(throws: CSVError.self) { try Self.table(text).requireComplete(source: "t.csv") }
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test func blankingKeepsEveryOtherCellsBytes() throws {
        let text = "a,\"b, quoted\",c\r\n0.10,6.1556e+05, 7\r\n\"3\",-0.0,1e2\r\n"
        let t = try Self.table(text)
        var observed = Matrix(rows: 2, cols: 3, repeating: 1)
        observed[0, 1] = 0
        observed[1, 0] = 0
        observed[1, 2] = 0
        let out = String(decoding: t.csvBytes(blanking: observed), as: UTF8.self)
        #expect(out == "a,\"b, quoted\",c\r\n0.10,, 7\r\n,-0.0,\r\n")
        // Nothing blanked: the input, byte for byte.
        #expect(String(decoding: t.csvBytes(blanking: Matrix(rows: 2, cols: 3, repeating: 1)), as: UTF8.self) == text)
    }

    @Test func oneColumnBlankRowsAreWrittenNA() throws {
        let t = try Self.table("x\n1\n2\n3")
        let out = String(decoding: t.csvBytes(blanking: Matrix([[1], [0], [0]])), as: UTF8.self)
        #expect(out == "x\n1\nNA\nNA\n")
        let back = try Self.table(out)
        #expect(back.values.rows == 3 && back.missingCount == 2, "no row lost on reading back")
    }

    @Test("the first text cell of the first numeric column that has one, as training reports it")
    func firstTextCellError() throws {
        let table = try CSVTable.read(bytes: Array("a,b,c\n1,2,x\n3,y,4\n5,6,7\nz,8,w\n".utf8), source: "t.csv", allowText: true)
        let all = try #require(table.firstTextCellError(columns: [0, 1, 2], source: "t.csv"))
        #expect(all.description == #"t.csv: line 5, column 1 ("a"): cannot read "z" as a number (write missing cells as empty, NA, NaN, nan or ?)"#)
        let later = try #require(table.firstTextCellError(columns: [1, 2], source: "t.csv"))
        #expect(later.description.hasPrefix(#"t.csv: line 3, column 2 ("b"): cannot read "y""#))
        let last = try #require(table.firstTextCellError(columns: [2], source: "t.csv"))
        #expect(last.description.hasPrefix(#"t.csv: line 2, column 3 ("c"): cannot read "x""#))
        #expect(table.firstTextCellError(columns: [], source: "t.csv") == nil)
    }
}
