import Foundation
import Testing
import TableIO

/// Every error names the file, the line and the column (index and header name) so the user
/// can go straight to the cell.
@Suite("Read errors point at the file, line and column")
struct ReadErrorTests {
    @Test("ragged row with too few fields")
    func tooFewFields() {
        let message = csvErrorMessage("a,b,c\n1,2,3\n4,5\n", source: "data.csv")
        #expect(message == "data.csv: line 3: expected 3 fields like the header, got 2")
    }

    @Test("ragged row with too many fields, counted to the end of the row")
    func tooManyFields() {
        let message = csvErrorMessage("a,b\n1,2\n3,4\n5,6,7,8\n", source: "data.csv")
        #expect(message == "data.csv: line 4: expected 2 fields like the header, got 4")
    }

    @Test("the field count is checked before the cells (a decimal comma shows up as ragged)")
    func raggedBeforeCells() {
        #expect(csvErrorMessage("a,b\n1,5,2,5\n")?.contains("line 2: expected 2 fields like the header, got 4") == true)
    }

    @Test("a blank line inside a multi-column table")
    func innerBlankLine() {
        let message = csvErrorMessage("a,b\n1,2\n\n3,4\n")
        #expect(message?.hasPrefix("test.csv: line 3: expected 2 fields like the header, got 1") == true)
    }

    @Test("non-numeric cell: line, column index and name, and the text quoted")
    func notANumber() {
        let message = csvErrorMessage("x,\"body mass\",z\n1,2,3\n4,12kg,6\n", source: "m.csv")
        #expect(message == "m.csv: line 3, column 2 (\"body mass\"): cannot read \"12kg\" as a number (write missing cells as empty, NA, NaN, nan or ?)")
    }

    @Test("a quoted non-numeric cell is reported without its quotes")
    func quotedNotANumber() {
        #expect(csvErrorMessage("a,b\n1,\"x y\"\n")?.contains("line 2, column 2 (\"b\"): cannot read \"x y\"") == true)
    }

    @Test("infinities are refused", arguments: ["inf", "-inf", "+Inf", "infinity", "-Infinity", "INF"])
    func infinite(text: String) {
        let message = csvErrorMessage("a,b\n1,2\n3,\(text)\n")
        #expect(message == "test.csv: line 3, column 2 (\"b\"): \"\(text)\" is infinite; only finite numbers or missing markers are allowed")
    }

    @Test("numbers beyond Float's range are refused", arguments: ["1e39", "-3.5e38", "3.4028236e38", "1" + String(repeating: "0", count: 40)])
    func overflow(text: String) {
        let message = csvErrorMessage("a,b\n\(text),2\n")
        #expect(message?.hasPrefix("test.csv: line 2, column 1 (\"a\"): \"") == true)
        #expect(message?.contains("is too large for a 32-bit float") == true)
    }

    @Test("malformed numbers", arguments: ["1.2.3", "1e", "1e+", "--1", "0x10", "1,5e", "1_000", "e5", ".", "+", "1 2"])
    func malformed(text: String) {
        let message = csvErrorMessage("a\n\"\(text)\"\n")
        #expect(message == "test.csv: line 2, column 1 (\"a\"): cannot read \"\(text)\" as a number (write missing cells as empty, NA, NaN, nan or ?)")
    }

    @Test("an empty file", arguments: ["", "\n", "  \r\n\n", "\u{FEFF}"])
    func emptyFile(text: String) {
        #expect(csvErrorMessage(text, source: "e.csv") == "e.csv: line 1: the file is empty; expected a header row and data rows")
    }

    @Test("a blank first line before data")
    func blankHeader() {
        #expect(csvErrorMessage("\na,b\n1,2\n") == "test.csv: line 1: the first line is blank; expected a header row of column names")
    }

    @Test("a header without data rows", arguments: ["a,b", "a,b\n", "a,b\r\n\r\n\n"])
    func headerOnly(text: String) {
        #expect(csvErrorMessage(text) == "test.csv: line 2: the header has no data rows below it")
    }

    @Test("a column with no observed value is named")
    func columnAllMissing() {
        let message = csvErrorMessage("a,b,c\n1,NA,3\n4,,6\n7,?,9\n", source: "t.csv")
        #expect(message == "t.csv: column 2 (\"b\"): all 3 data rows (lines 2-4) miss this column, so there is nothing to impute it from")
    }

    @Test("a one-row table whose column is missing")
    func oneRowAllMissing() {
        #expect(csvErrorMessage("a,b\n1,NA\n") == "test.csv: column 2 (\"b\"): the only data row (line 2) misses this column, so there is nothing to impute it from")
    }

    @Test("line numbers count the lines inside quoted header names")
    func lineAfterMultilineHeader() {
        #expect(csvErrorMessage("\"a\nb\",c\n1,2\n1,x\n")?.hasPrefix("test.csv: line 4, column 2 (\"c\")") == true)
    }

    @Test("CRLF files report the same lines")
    func crlfLines() {
        #expect(csvErrorMessage("a,b\r\n1,2\r\n3,oops\r\n")?.hasPrefix("test.csv: line 3, column 2 (\"b\"): cannot read \"oops\"") == true)
    }

    @Test("an unterminated quote")
    func unterminatedQuote() {
        #expect(csvErrorMessage("a,b\n1,\"2\n3,4\n") == "test.csv: line 2, column 2 (\"b\"): a quoted field starts here but its closing quote never comes")
    }

    @Test("text after a closing quote")
    func textAfterQuote() {
        #expect(csvErrorMessage("a,\"b\"x\n1,2\n")?.hasPrefix("test.csv: line 1, column 2: unexpected text after a closing quote") == true)
    }

    @Test("a file that does not exist")
    func missingFile() {
        #expect {
            _ = try CSVTable.read(path: "/nonexistent-folder/in.csv")
        } throws: { error in
            (error as? CSVError)?.description == "/nonexistent-folder/in.csv: cannot read the file: No such file or directory"
        }
    }

    @Test("a directory instead of a file")
    func directory() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            _ = try CSVTable.read(path: folder)
        } throws: { error in
            (error as? CSVError)?.description == "\(folder): cannot read the file: it is a directory"
        }
    }

    @Test("the error carries its parts for programs")
    func structuredError() throws {
        do {
            _ = try readCSV("a,b\n1,2\n3,x\n")
            Issue.record("expected an error")
        } catch let error as CSVError {
            #expect(error.kind == .notANumber(text: "x"))
            #expect(error.source == "test.csv" && error.line == 3 && error.column == 2 && error.columnName == "b")
        }
    }
}
