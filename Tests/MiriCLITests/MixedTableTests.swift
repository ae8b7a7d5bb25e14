import TestSupport
import Foundation
import Testing

/// `miri impute` on a real table: an identifier, a text category, an integer column and numbers.
@Suite struct MixedTableTests {
    static let colours = ["red", "blue", "green"]

    /// 60 rows: `id` complete and all distinct, the others with cells missing in a pattern.
    static let table: String = {
        var lines = ["id,colour,count,x,y"]
        for i in 0..<60 {
            let colour = colours[(i * 7) % 5 % 3]
            let x = String(format: "%.2f", Double(i) * 0.37)
            let y = String(format: "%.3f", Double(i) * 0.74 + Double(i % 3))
            lines.append(["u\(i)", i % 5 == 1 ? "" : colour, i % 4 == 2 ? "NA" : "\(i % 7)", i % 6 == 3 ? "" : x, i % 7 == 4 ? "?" : y]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: ["mean", "knn", "mice", "miri"])
    func imputesEveryKind(_ method: String) throws {
        let scratch = try Scratch()
        let input = try scratch.write("mixed.csv", Self.table)
        let output = scratch.file("out.csv").path
        let run = try Tool.run(["impute", input, "-o", output, "--method", method] + (method == "miri" ? Tool.tinyMIRI : []))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("miri: columns: 2 numeric, 1 integer, 1 categorical (colour), 1 passed through (id)\n"), "\(run.stderr)")
        let before = csvRows(Self.table), after = csvRows(try scratch.read("out.csv"))
        #expect(after.count == before.count && after[0] == before[0])
        for i in 1..<before.count {
            for j in 0..<5 {
                let cell = after[i][j]
                guard missingMarkers.contains(before[i][j]) else {
                    #expect(cell == before[i][j], "row \(i) column \(j): observed text kept"); continue
                }
                switch j {
                case 1: #expect(Self.colours.contains(cell), "row \(i): \(cell) is an observed category")
                case 2: #expect(Int(cell) != nil, "row \(i): \(cell) is written as an integer")
                default: #expect(Float(cell)?.isFinite == true, "row \(i) column \(j): \(cell)")
                }
            }
        }
    }

    @Test("the mean imputer gives the most frequent category and rounded integer means")
    func meanByHand() throws {
        let text = "k,c,n\nr1,a,1\nr2,b,2\nr3,a,\nr4,,4\nr5,a,2\n"
        let run = try Tool.run(["impute", "-", "--method", "mean", "--quiet"], input: Data(text.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        // n: (1 + 2 + 4 + 2) / 4 = 2.25 → 2; c: a (3 of 4).
        #expect(run.stdoutText == "k,c,n\nr1,a,1\nr2,b,2\nr3,a,2\nr4,a,4\nr5,a,2\n")
        let kept = try Tool.run(["impute", "-", "--method", "mean", "--quiet", "--no-round-integers"], input: Data(text.utf8))
        #expect(kept.stdoutText == "k,c,n\nr1,a,1\nr2,b,2\nr3,a,2.25\nr4,a,4\nr5,a,2\n")
    }

    @Test("overrides: numeric codes as categories, a numeric column passed through keeps its missing marker")
    func overrides() throws {
        let text = "gear,v,w\n3,1.5,10\n4,NA,20\n3,2.5,30\n,3.5,40\n3,4.5,\n"
        let run = try Tool.run(["impute", "-", "--method", "mean", "--categorical", "gear", "--pass-through", "v"], input: Data(text.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("columns: 1 integer, 1 categorical (gear), 1 passed through (v)"), "\(run.stderr)")
        #expect(run.stdoutText == "gear,v,w\n3,1.5,10\n4,NA,20\n3,2.5,30\n3,3.5,40\n3,4.5,25\n")
    }

    @Test("bad input: a text cell in a --numeric column, too many categories: status 2, one line, no output")
    func badInput() throws {
        let scratch = try Scratch()
        let input = try scratch.write("mixed.csv", Self.table)
        let output = scratch.file("out.csv").path
        let numeric = try Tool.run(["impute", input, "-o", output, "--method", "mean", "--numeric", "colour"])
        #expect(numeric.status == 2)
        #expect(numeric.stderr == "miri: error: \(input): line 2, column 2 (\"colour\"): cannot read \"red\" as a number "
                + "(write missing cells as empty, NA, NaN, nan or ?)\n")

        let many = try scratch.write("many.csv", "label,v\n" + (0..<102).map { "L\($0 / 1 % 101),\($0 % 5 == 0 ? "" : "1")" }.joined(separator: "\n") + "\n")
        let tooMany = try Tool.run(["impute", many, "-o", output, "--method", "mean", "--categorical", "label"])
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.hasPrefix("miri: error: \(many): line 102, column 1 (\"label\"): more than 100 categories"), "\(tooMany.stderr)")
        #expect(tooMany.stderr.split(separator: "\n").count == 1)

        let unknown = try Tool.run(["impute", input, "-o", output, "--pass-through", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr == "miri: error: --pass-through names column \"nope\", which the table does not have\n")
        #expect(try scratch.listing() == ["many.csv", "mixed.csv"])
    }
}
