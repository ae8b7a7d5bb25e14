import Foundation
import Linalg
import TestSupport
import Testing

/// MICE draws of wide tables, `analyze`'s limits, completed files and parser, a bare `\r` at the
/// end of a table, and column names that are not UTF-8: each refused with one line and its
/// status, or done, and nothing left behind.
@Suite(.serialized) struct ReliabilityThreeTests {
    func bytes(_ scratch: Scratch, _ name: String, _ content: [UInt8]) throws -> String {
        let path = scratch.file(name).path
        try Data(content).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// 3 rows × 101 columns, a few cells missing: every column is observed in fewer than d + 2 rows.
    func wideTable(_ scratch: Scratch) throws -> String {
        var text = (0..<101).map { "c\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<3 {
            text += (0..<101).map { j in i > 0 && j % 7 == i ? "" : "\(Double(i * 3 + j % 5) + 0.5)" }.joined(separator: ",") + "\n"
        }
        return try scratch.write("t.csv", text)
    }

    @Test("MICE draws of a 101-column table observed in 3 rows: apply --draws, --average and analyze succeed, no .tmp left")
    func wideMICEDraws() throws {
        let scratch = try Scratch()
        let table = try wideTable(scratch)
        let model = scratch.file("m.mice").path
        let fit = try Tool.run(["fit", table, "--method", "mice", "--model", model, "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let draws = try Tool.run(["apply", model, table, "-o", scratch.file("d.csv").path, "--draws", "2", "--quiet"])
        #expect(draws.status == 0, "\(draws.stderr)")
        let average = try Tool.run(["apply", model, table, "-o", scratch.file("a.csv").path, "--draws", "2", "--average", "--quiet"])
        #expect(average.status == 0, "\(average.stderr)")
        let analyze = try Tool.run(["analyze", model, table, "--draws", "2", "--mean", "c0"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(try scratch.listing() == ["a.csv", "d.1.csv", "d.2.csv", "m.mice", "t.csv"])
        let observed = csvRows(try scratch.read("t.csv")), drawn = csvRows(try scratch.read("d.1.csv"))
        for (a, b) in zip(observed.joined(), drawn.joined()) where !a.isEmpty { #expect(a == b) }
    }

    @Test("analyze --draws beyond 100,000 is a usage error (64), before anything is allocated")
    func analyzeDrawsCap() throws {
        let scratch = try Scratch()
        let table = try scratch.write("t.csv", "y,x\n1,2\n,3\n4,5\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", table, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        let run = try Tool.run(["analyze", model, table, "--draws", "2147483648", "--mean", "y"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("--draws is at most 100000 (got 2147483648)"), "\(run.stderr)")
    }

    @Test("analyze reads completed files in Double: 100000001…100000006 pool to 100000002.75, Ū = 19/24")
    func analyzeInDouble() throws {
        let scratch = try Scratch()
        let a = try scratch.write("p1.csv", "y\n100000001\n100000002\n100000003\n100000004\n")
        let b = try scratch.write("p2.csv", "y\n100000001\n100000002\n100000003\n100000006\n")
        let run = try Tool.run(["analyze", a, b, "--mean", "y", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        let pooled = try #require((object["pooled"] as? [[String: Any]])?.first)
        #expect(pooled["estimate"] as? Double == 100000002.75)
        #expect(abs((pooled["ubar"] as? Double ?? 0) - 19.0 / 24) < 1e-9)
        // Beyond a Float's range and below its smallest normal: read as written.
        let c = try scratch.write("c1.csv", "y\n1e39\n3e39\n1e-300\n"), d = try scratch.write("c2.csv", "y\n2e39\n3e39\n1e-300\n")
        let wide = try Tool.run(["analyze", c, d, "--mean", "y", "--json"])
        #expect(wide.status == 0, "\(wide.stderr)")
        let est = try #require(((try JSONSerialization.jsonObject(with: wide.stdout) as? [String: Any])?["pooled"] as? [[String: Any]])?.first?["estimate"] as? Double)
        #expect(abs(est - (4e39 + 2e-300 + 5e39) / 6) < 1e27, "\(est)")
        #expect(!wide.stdoutText.lowercased().contains("nan"))
    }

    @Test("completed files with different row counts are refused (2), naming both")
    func rowCountsDiffer() throws {
        let scratch = try Scratch()
        let a = try scratch.write("a.csv", "y,x\n1,2\n2,3\n"), c = try scratch.write("c.csv", "y,x\n1,2\n2,3\n4,5\n")
        let run = try Tool.run(["analyze", a, c, "--mean", "y"])
        #expect(run.status == 2 && run.stdout.isEmpty, "\(run.stderr)")
        #expect(run.stderr == "miri: error: \(c): 3 rows, but \(a) has 2; the completed tables of one table have its rows\n")
    }

    @Test("analyze --plot DIR is refused with 2 before the draws, as -o DIR is")
    func plotDirectory() throws {
        let scratch = try Scratch()
        let table = try scratch.write("t.csv", "y,x\n1,2\n,3\n4,5\n2,2\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", table, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        try FileManager.default.createDirectory(at: scratch.file("dir"), withIntermediateDirectories: false)
        let run = try Tool.run(["analyze", model, table, "--draws", "5", "--mean", "y", "--plot", scratch.file("dir").path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "miri: error: \(scratch.file("dir").path): it is a directory; the output must name a file\n")
        #expect(run.stdout.isEmpty)
    }

    @Test("analyze's lists and formulas: y ~ x + 1 pools as y ~ x; y ~, ~ x, --mean y,,x refused with one line (2)")
    func parser() throws {
        let scratch = try Scratch()
        let a = try scratch.write("a.csv", "y,x\n1,2\n2,3\n3,5\n4,4\n"), b = try scratch.write("b.csv", "y,x\n1,2\n2,3\n3,5\n4,5\n")
        let plain = try Tool.run(["analyze", a, b, "--regress", "y ~ x", "--json"])
        let explicit = try Tool.run(["analyze", a, b, "--regress", "y ~ x + 1", "--json"])
        #expect(plain.status == 0 && explicit.status == 0 && plain.stdout == explicit.stdout, "\(explicit.stderr)")
        for arguments in [["--regress", "y ~"], ["--regress", "~ x"], ["--mean", "y,,x"], ["--mean", ""], ["--mean", "y,y"]] {
            let run = try Tool.run(["analyze", a, b] + arguments)
            #expect(run.status == 2 && run.stdout.isEmpty, "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
        let t1 = try scratch.write("t1.csv", "\"t~\",x\n1,2\n2,3\n3,5\n4,4\n"), t2 = try scratch.write("t2.csv", "\"t~\",x\n1,2\n2,3\n3,5\n4,5\n")
        let tilde = try Tool.run(["analyze", t1, t2, "--regress", "`t~` ~ x"])
        #expect(tilde.status == 0, "\(tilde.stderr)")
    }

    @Test("a last row ending the file with a bare \\r is written back with it")
    func bareCarriageReturn() throws {
        let scratch = try Scratch()
        let input = try bytes(scratch, "t.csv", Array("a,b\n1,2\n,3\n4,5\r".utf8))
        let run = try Tool.run(["impute", input, "--method", "mean", "-o", scratch.file("out.csv").path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try scratch.read("out.csv") == "a,b\n1,2\n3,3\n4,5\r")   // a holds integers: 2.5 rounds to 3
    }

    @Test("column names that are not UTF-8 are refused (2) by fit, apply and analyze, never matched to each other")
    func nonUTF8Names() throws {
        let scratch = try Scratch()
        let fitTable = try bytes(scratch, "fit.csv", Array("a".utf8) + [0xFF] + Array(",b\n1,2\n,3\n4,5\n".utf8))
        let fit = try Tool.run(["fit", fitTable, "--method", "mice", "--model", scratch.file("m.mice").path])
        #expect(fit.status == 2, "\(fit.stderr)")
        #expect(fit.stderr == "miri: error: \(fitTable): line 1, column 1: the column name \"a\\xFF\" is not UTF-8 text; names are compared as text, so convert the file to UTF-8 (iconv -f latin1 -t utf-8)\n")
        let good = try scratch.write("good.csv", "a,b\n1,2\n,3\n4,5\n")
        #expect(try Tool.run(["fit", good, "--method", "mice", "--model", scratch.file("m.mice").path, "--quiet"]).status == 0)
        let newTable = try bytes(scratch, "new.csv", Array("a".utf8) + [0xFE] + Array(",b\n1,2\n,3\n4,5\n".utf8))
        let apply = try Tool.run(["apply", scratch.file("m.mice").path, newTable, "-o", scratch.file("out.csv").path])
        #expect(apply.status == 2 && apply.stderr.contains("is not UTF-8 text"), "\(apply.stderr)")
        let other = try bytes(scratch, "other.csv", Array("a".utf8) + [0xFF] + Array(",b\n1,2\n3,3\n4,5\n".utf8))
        let analyze = try Tool.run(["analyze", newTable, other, "--mean", "b"])
        #expect(analyze.status == 2 && analyze.stderr.contains("is not UTF-8 text"), "\(analyze.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.csv").path))
    }
}
