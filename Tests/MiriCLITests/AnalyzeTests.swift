import Foundation
import Linalg
import TestSupport
import Testing

/// `miri analyze`: pooled means and regressions from a model and a table or from completed files,
/// the density plot, and one line with status 2 for each kind of bad input.
@Suite(.serialized) struct AnalyzeTests {
    /// 300 rows of y = 2 + x + 0.5·x2 + noise, 30 % of x missing; "xx" repeats x2 (collinear).
    static func table(collinear: Bool = false) -> String {
        var random = RandomSource(seed: 4)
        var text = collinear ? "x,x2,y,xx\n" : "x,x2,y\n"
        for _ in 0..<300 {
            let x = random.normal(), x2 = random.normal(), y = 2 + x + 0.5 * x2 + random.normal()
            let missing = random.uniform() < 0.3
            text += (missing ? "" : String(format: "%.4f", x)) + String(format: ",%.4f,%.4f", x2, y)
            text += collinear ? String(format: ",%.4f\n", x2) : "\n"
        }
        return text
    }

    func fitted(_ scratch: Scratch, collinear: Bool = false) throws -> (model: String, table: String) {
        let table = try scratch.write("t.csv", Self.table(collinear: collinear))
        let model = scratch.file("m.miri").path
        let fit = try Tool.run(["fit", table, "--method", "mice", "--model", model, "--seed", "1", "--threads", "1"])
        #expect(fit.status == 0, "stderr: \(fit.stderr)")
        return (model, table)
    }

    @Test("Model and table, --json: the slope's interval holds 1, and m completed files from apply pool to the same numbers")
    func endToEnd() throws {
        let scratch = try Scratch()
        let (model, table) = try fitted(scratch)
        let run = try Tool.run(["analyze", model, table, "--draws", "5", "--seed", "3", "--mean", "x", "--regress", "y ~ x + x2", "--json", "--threads", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        let pooled = try #require(object["pooled"] as? [[String: Any]])
        #expect(pooled.map { $0["term"] as? String } == ["mean(x)", "(Intercept)", "x", "x2"])
        let slope = pooled[2]
        let low = try #require(slope["conf.low"] as? Double), high = try #require(slope["conf.high"] as? Double)
        #expect(low < 1 && 1 < high, "interval \(low)...\(high)")
        #expect((slope["b"] as? Double ?? 0) > 0 && (slope["fmi"] as? Double ?? 0) > 0)
        #expect(try scratch.listing() == ["m.miri", "t.csv"], "analyze writes nothing")

        let apply = try Tool.run(["apply", model, table, "--draws", "5", "--seed", "3", "-o", scratch.file("d.csv").path, "--threads", "1"])
        #expect(apply.status == 0, "stderr: \(apply.stderr)")
        let files = (1...5).map { scratch.file("d.\($0).csv").path }
        let fromFiles = try Tool.run(["analyze"] + files + ["--mean", "x", "--regress", "y ~ x + x2", "--json"])
        #expect(fromFiles.status == 0, "stderr: \(fromFiles.stderr)")
        let other = try #require(try JSONSerialization.jsonObject(with: fromFiles.stdout) as? [String: Any])
        let pooledFiles = try #require(other["pooled"] as? [[String: Any]])
        for (a, b) in zip(pooled, pooledFiles) {
            // The files hold the draws' shortest Float text: the same Floats, so the same numbers.
            #expect(a["estimate"] as? Double == b["estimate"] as? Double, "\(a["term"] ?? "")")
            #expect(a["std.error"] as? Double == b["std.error"] as? Double)
        }
    }

    @Test("The printed table has mice's columns; --plot writes an SVG with one panel per imputed column")
    func tableAndPlot() throws {
        let scratch = try Scratch()
        let (model, table) = try fitted(scratch)
        let plot = scratch.file("p.svg").path
        let run = try Tool.run(["analyze", model, table, "--regress", "y ~ x", "--plot", plot, "--threads", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdoutText.hasPrefix("term"), "\(run.stdoutText)")
        for column in ["estimate", "std.error", "statistic", "df", "p.value", "2.5 %", "97.5 %", "fmi", "(Intercept)"] {
            #expect(run.stdoutText.contains(column), "\(column) in \(run.stdoutText)")
        }
        let svg = try scratch.read("p.svg")
        #expect(svg.hasPrefix("<svg") && svg.contains("x (") && !svg.contains("x2 ("), "one panel, for x")
    }

    struct Bad: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var message: String
        var description: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "unknown column", arguments: ["--mean", "z"], message: #"--mean: unknown column "z""#),
        Bad(name: "unknown column in a formula", arguments: ["--regress", "y ~ q"], message: #"unknown column "q" in the formula"#),
        Bad(name: "unreadable formula", arguments: ["--regress", "y x"], message: "cannot read the formula"),
        Bad(name: "m < 2", arguments: ["--mean", "x", "--draws", "1"], message: "pooling needs at least 2 imputations (got 1)"),
        Bad(name: "singular design", arguments: ["--regress", "y ~ x2 + xx"], message: "the regression's design is singular: x2, xx"),
    ]

    @Test(arguments: bad)
    func badInput(_ c: Bad) throws {
        let scratch = try Scratch()
        let (model, table) = try fitted(scratch, collinear: true)
        let run = try Tool.run(["analyze", model, table, "--threads", "1"] + c.arguments)
        #expect(run.status == 2, "stderr: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.contains(c.message), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
