import Evaluation
import Foundation
import Imputation
import Linalg
import TestSupport
import Testing

/// `miri ampute` end to end: the built tool on the shared wine table, checked against masks.py.
@Suite struct AmputeTests {
    struct Expected: Sendable, CustomStringConvertible {
        var mechanism: String
        var missing: Int
        var digest: String
        var description: String { mechanism }
    }

    /// `python3 masks.py wine.csv MECH 1 0.4`: missing count (m.sum()) and sha256/16.
    static let wine: [Expected] = [
        Expected(mechanism: "mcar", missing: 7176, digest: "b9ff4cf7a892624d"),
        Expected(mechanism: "mar", missing: 5283, digest: "0845cd99adc5d176"),
        Expected(mechanism: "mnar", missing: 7216, digest: "975810c0e136371b"),
        Expected(mechanism: "mnar-self", missing: 7198, digest: "c23eb7a931d90aec"),
    ]

    /// Data rows of CSV text as raw fields (the shared tables have no quotes).
    static func cells(_ text: String) -> [[Substring]] {
        text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    @Test("wine seed 1, rate 0.4: the blanks form masks.py's mask; every other cell is the input's text", arguments: wine)
    func wineMatchesReference(_ e: Expected) throws {
        let input = try SharedDatasets.require("wine.csv")
        let scratch = try Scratch()
        let output = scratch.file("masked.csv").path
        let run = try Tool.run(["ampute", input, "--mechanism", e.mechanism, "--rate", "0.4", "--seed", "1", "--output", output])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        let rate = String(format: "%.4f", Double(e.missing) / 17589)
        #expect(run.stderr == "miri: ampute \(e.mechanism): \(e.missing) of 17589 entries missing (\(rate)), mask sha256/16 \(e.digest)\n")

        let original = try String(contentsOfFile: input, encoding: .utf8)
        let masked = try scratch.read("masked.csv")
        #expect(masked.prefix { $0 != "\n" } == original.prefix { $0 != "\n" }, "header kept")
        let before = Self.cells(original), after = Self.cells(masked)
        try #require(after.count == before.count && after.allSatisfy { $0.count == 11 })
        var observed = Matrix(rows: before.count, cols: 11, repeating: 1)
        var changed = 0
        for i in before.indices {
            for j in 0..<11 {
                if after[i][j].isEmpty { observed[i, j] = 0 } else if after[i][j] != before[i][j] { changed += 1 }
            }
        }
        #expect(changed == 0, "kept cells are byte-identical")
        #expect(observed.storage.filter { $0 == 0 }.count == e.missing)
        #expect(MaskDigest.digest(observed: observed) == e.digest)
    }

    @Test func standardInputToStandardOutputQuietly() throws {
        let run = try Tool.run(["ampute", "-", "--mechanism", "mcar", "--rate", "0.45", "--seed", "1", "--quiet"],
                               input: Data("a,b,c,d\n1,2,3,4\n5,6,7,8\n9,10,11,12\n".utf8))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty)
        // Seed 1's uniforms below 0.45: entries 3, 4, 8 and 10 (MCARMaskTests works them out).
        #expect(run.stdoutText == "a,b,c,d\n1,2,3,\n,6,7,8\n,10,,12\n")
    }

    @Test("A missing cell in the input is bad input: exit 2, one line naming file, line and column, no output")
    func incompleteInputIsBadInput() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", "a,b\n1,2\n3,NA\n")
        let run = try Tool.run(["ampute", input, "--mechanism", "mar", "--rate", "0.4", "-o", scratch.file("out.csv").path])
        #expect(run.status == 2)
        #expect(run.stderr == "miri: error: \(input): line 3, column 2 (\"b\"): \"NA\" marks a missing cell; "
                + "this command needs a complete table, with a number in every cell\n")
        #expect(try scratch.listing() == ["in.csv"])
    }

    @Test("Unreadable tables get impute's answer: exit 2, the place named, no output", arguments: BadInputTests.cases)
    func badInput(_ c: BadInputTests.Case) throws {
        let scratch = try Scratch()
        let input = try scratch.write("bad.csv", c.text)
        let run = try Tool.run(["ampute", input, "--mechanism", "mnar", "--rate", "0.4", "--output", scratch.file("out.csv").path])
        #expect(run.status == 2, "stderr: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.hasPrefix("miri: error: \(input): \(c.place)"), "stderr: \(run.stderr)")
        #expect(try scratch.listing() == ["bad.csv"])
    }

    @Test(arguments: [
        ["--mechanism", "mar", "--rate", "0"], ["--mechanism", "mar", "--rate", "1"], ["--mechanism", "mar", "--rate", "1.5"],
        ["--mechanism", "mar", "--rate", "-0.1"], ["--mechanism", "mar", "--rate", "nan"], ["--mechanism", "mar", "--rate", "x"],
        ["--mechanism", "mnar_self", "--rate", "0.4"], ["--mechanism", "MAR", "--rate", "0.4"], ["--rate", "0.4"], ["--mechanism", "mar"],
    ])
    func badUsageExitsWith64(_ arguments: [String]) throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", "a,b\n1,2\n3,4\n")
        let run = try Tool.run(["ampute", input, "-o", scratch.file("out.csv").path] + arguments)
        #expect(run.status == 64, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("rate") || run.stderr.contains("mechanism"), "stderr: \(run.stderr)")
        #expect(try scratch.listing() == ["in.csv"])
    }
}
