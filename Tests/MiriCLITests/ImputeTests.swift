import TestSupport
import Foundation
import Testing

/// `miri impute` end to end: the built tool run as a process on small CSV files.
@Suite struct ImputeTests {
    /// 12 rows, 3 columns, every missing marker, a quoted header name, text that a re-print
    /// would change (`0.10`, `6.1556e+05`, ` 7`), CRLF line ends and no final line end.
    static let table = [
        #"a,"b, quoted",c"#,
        "0.10,6.1556e+05,1", "0.2,,2", "0.30,6.2e+05,NA", " 7,NaN,4", "0.5,6.4e+05,nan", "?,6.5e+05,6",
        "0.7,6.6e+05,7", "0.8,6.7e+05,8", "0.9,,9", "1.0,6.9e+05,10", "1.1,7.0e+05,?", "1.2,7.1e+05,12",
    ].joined(separator: "\r\n")

    @Test func roundTripKeepsObservedTextAndFillsEveryMissingCell() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.table)
        let output = scratch.file("out.csv").path
        let run = try Tool.run(["impute", input, "--output", output, "--quiet"] + Tool.tinyMIRI)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.isEmpty)

        let text = try scratch.read("out.csv")
        #expect(text.hasPrefix(#"a,"b, quoted",c"# + "\r\n"), "header kept as written, CRLF kept")
        #expect(text.hasSuffix("\r\n"))
        let inputRows = Self.table.components(separatedBy: "\r\n").dropFirst().map { $0.components(separatedBy: ",") }
        let outputRows = text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
        #expect(outputRows.count == inputRows.count)
        for (i, (before, after)) in zip(inputRows, outputRows).enumerated() {
            #expect(after.count == before.count, "row \(i)")
            for (j, (cellBefore, cellAfter)) in zip(before, after).enumerated() {
                if missingMarkers.contains(cellBefore.trimmingCharacters(in: .whitespaces)) {
                    let value = Float(cellAfter)
                    #expect(value != nil && value!.isFinite, "row \(i) column \(j): imputed cell \"\(cellAfter)\"")
                } else {
                    #expect(cellAfter == cellBefore, "row \(i) column \(j): observed text must not change")
                }
            }
        }
        #expect(try scratch.listing() == ["in.csv", "out.csv"], "no temporary file left behind")
    }

    @Test func standardInputToStandardOutput() throws {
        let run = try Tool.run(["impute", "-", "--quiet"] + Tool.tinyMIRI, input: Data("x,y\n1,2\n2,\n3,6\n4,8\n".utf8))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = csvRows(run.stdoutText)
        #expect(rows.first == ["x", "y"])
        #expect(rows.count == 5)
        #expect(rows[1] == ["1", "2"] && rows[3] == ["3", "6"] && rows[4] == ["4", "8"])
        #expect(rows[2][0] == "2" && Float(rows[2][1]) != nil)
    }

    @Test func errorsOnStandardInputNameIt() throws {
        // A text cell in a column of numbers (a text-only column would be a category now).
        let run = try Tool.run(["impute", "-"], input: Data("x,y\n1,oops\n2,3\n".utf8))
        #expect(run.status == 2)
        #expect(run.stderr.contains("<stdin>: line 2, column 2 (\"y\")"), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func tableWithNothingMissingIsCopiedThrough() throws {
        let scratch = try Scratch()
        let text = "p,q\n1.50,2\n3,4e2\n"
        let input = try scratch.write("full.csv", "\(text)")
        let run = try Tool.run(["impute", input, "-o", scratch.file("out.csv").path])
        #expect(run.status == 0)
        #expect(run.stderr.contains("no missing cells"), "stderr: \(run.stderr)")
        #expect(try scratch.read("out.csv") == text)

        let quiet = try Tool.run(["impute", input, "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdoutText == text)
    }

    @Test func meanFillsTheColumnMean() throws {
        let run = try Tool.run(["impute", "-", "--method", "mean", "--quiet"], input: Data("u,v\n1,10\n2,\n,30\n6,20\n".utf8))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = csvRows(run.stdoutText)
        #expect(Float(rows[2][1]) == 20)         // (10 + 30 + 20) / 3
        #expect(Float(rows[3][0]) == 3)          // (1 + 2 + 6) / 3
    }

    /// kNN, worked by hand with k = 1: row 3 observes only u = 1.1; by nan-Euclidean distance
    /// on u its nearest donor is row 1 (u = 1), so v = 5. With k = 2 the donors are rows 1 and
    /// 2 (u = 1 and 3; row 4 at u = 9 is farther): v = (5 + 7) / 2 = 6.
    @Test(arguments: [(1, Float(5)), (2, Float(6))])
    func knnAveragesTheNearestDonors(k: Int, expected: Float) throws {
        let run = try Tool.run(["impute", "-", "--method", "knn", "--neighbors", "\(k)", "--quiet"],
                               input: Data("u,v\n1,5\n3,7\n1.1,\n9,100\n".utf8))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = csvRows(run.stdoutText)
        #expect(Float(rows[3][1]) == expected)
    }

    @Test func sameSeedSameOutputOtherSeedOther() throws {
        let input = Data(Self.table.utf8)
        let first = try Tool.run(["impute", "-", "--quiet", "--seed", "3"] + Tool.tinyMIRI, input: input)
        let again = try Tool.run(["impute", "-", "--quiet", "--seed", "3"] + Tool.tinyMIRI, input: input)
        let other = try Tool.run(["impute", "-", "--quiet", "--seed", "4"] + Tool.tinyMIRI, input: input)
        #expect(first.status == 0 && again.status == 0 && other.status == 0)
        #expect(first.stdout == again.stdout)
        #expect(first.stdout != other.stdout)
    }

    @Test func summaryAndRoundLinesGoToStandardErrorUnlessQuiet() throws {
        let run = try Tool.run(["impute", "-"] + Tool.tinyMIRI, input: Data("x,y\n1,2\n2,\n3,6\n".utf8))
        #expect(run.status == 0)
        #expect(run.stderr.contains("round 1/1:"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("imputed 1 of 6 cells"))
        #expect(!run.stderr.contains("\r"), "no progress line when stderr is not a terminal")
        let forced = try Tool.run(["impute", "-", "--progress"] + Tool.tinyMIRI, input: Data("x,y\n1,2\n2,\n3,6\n".utf8))
        #expect(forced.stderr.contains("round 1/1 [") && forced.stderr.contains("remaining"), "stderr: \(forced.stderr)")
    }

    @Test func divergenceExitsWithStatus3AndWritesNothing() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.table)
        let run = try Tool.run(["impute", input, "-o", scratch.file("out.csv").path, "--lr", "1e30"] + Tool.tinyMIRI)
        #expect(run.status == 3)
        #expect(run.stderr.contains("miri: error: MIRI diverged in round 1"), "stderr: \(run.stderr)")
        #expect(try scratch.listing() == ["in.csv"])
    }

    @Test(arguments: [
        ["impute", "x.csv", "--method", "forest"],
        ["impute", "x.csv", "--epochs", "0"],
        ["impute", "x.csv", "--hidden", "16,x"],
        ["impute", "x.csv", "--threads", "0"],
        ["impute"],
    ])
    func badUsageExitsWith64(arguments: [String]) throws {
        let run = try Tool.run(arguments)
        #expect(run.status == 64, "stderr: \(run.stderr)")
    }
}
