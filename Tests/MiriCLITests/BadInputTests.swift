import TestSupport
import Foundation
import Testing

/// Every kind of bad input: exit status 2, one `miri: error:` line naming the file and the
/// place, and nothing created or changed at `--output`.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var text: String
        /// Text the error line must hold after the file name.
        var place: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ragged row", text: "a,b,c\n1,2,3\n4,5\n", place: "line 3: expected 3 fields like the header, got 2"),
        Case(name: "long row", text: "a,b\n1,2\n3,4,5\n", place: "line 3: expected 2 fields"),
        Case(name: "non-numeric cell", text: "a,b\n1,2\n3,abc\n", place: #"line 3, column 2 ("b"): cannot read "abc" as a number"#),
        Case(name: "inf", text: "a,b\n1,inf\n2,\n", place: #"line 2, column 2 ("b"): "inf" is infinite"#),
        Case(name: "-inf", text: "a,b\n1,2\n-Infinity,\n", place: #"line 3, column 1 ("a"): "-Infinity" is infinite"#),
        Case(name: "empty file", text: "", place: "line 1: the file is empty"),
        Case(name: "header without rows", text: "a,b\n", place: "line 2: the header has no data rows"),
        Case(name: "all-missing column", text: "a,\"the b\"\n1,\n2,NA\n3,?\n", place: #"column 2 ("the b"): all 3 data rows (lines 2-4) miss this column"#),
    ]

    @Test(arguments: cases)
    func badInputExitsWith2AndCreatesNoOutput(_ c: Case) throws {
        let scratch = try Scratch()
        let input = try scratch.write("bad.csv", c.text)
        let output = scratch.file("out.csv").path
        let run = try Tool.run(["impute", input, "--output", output] + Tool.tinyMIRI)
        #expect(run.status == 2, "stderr: \(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.hasPrefix("miri: error: \(input): \(c.place)"), "stderr: \(run.stderr)")
        #expect(try scratch.listing() == ["bad.csv"], "no output and no temporary file")
    }

    @Test(arguments: cases)
    func badInputLeavesAnExistingOutputUntouched(_ c: Case) throws {
        let scratch = try Scratch()
        let input = try scratch.write("bad.csv", c.text)
        let previous = "keep,me\n1,2\n"
        let output = try scratch.write("out.csv", previous)
        let run = try Tool.run(["impute", input, "-o", output, "--method", "mean"])
        #expect(run.status == 2)
        #expect(try scratch.read("out.csv") == previous)
        #expect(try scratch.listing() == ["bad.csv", "out.csv"])
    }

    @Test func missingFileIsBadInput() throws {
        let scratch = try Scratch()
        let run = try Tool.run(["impute", scratch.file("nope.csv").path, "-o", scratch.file("out.csv").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("nope.csv: cannot read the file: No such file or directory"), "stderr: \(run.stderr)")
        #expect(try scratch.listing().isEmpty)
    }

    @Test func unwritableOutputExitsWith1() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", "a,b\n1,\n2,3\n")
        let run = try Tool.run(["impute", input, "-o", scratch.file("no/such/folder/out.csv").path, "--method", "mean"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("miri: error: cannot write"), "stderr: \(run.stderr)")
    }
}
