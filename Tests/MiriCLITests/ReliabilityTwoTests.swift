import Foundation
import TestSupport
import Testing

/// Issue 24, reliability round two: defects A, B, C, E, G and I end to end, each through the
/// issue's own reproduction (D, F and H: MICEWideTests, BayesianRidgeNoiseTests, TableOutputTests).
@Suite struct ReliabilityTwoTests {
    func bytes(_ scratch: Scratch, _ name: String, _ data: [UInt8]) throws -> String {
        try Data(data).write(to: scratch.file(name))
        return scratch.file(name).path
    }

    // MARK: A. invalid UTF-8 in a category

    @Test("A: a category whose bytes are not UTF-8 is refused (status 2, line and column), never rewritten")
    func invalidUTF8Category() throws {
        let scratch = try Scratch()
        let input = try bytes(scratch, "t.csv", Array("c,x\na".utf8) + [0xFF] + Array(",1\na".utf8) + [0xFE] + Array(",2\n,3\na".utf8) + [0xFF] + Array(",4\n".utf8))
        let run = try Tool.run(["impute", input, "--method", "mean", "-o", scratch.file("out.csv").path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "miri: error: \(input): line 2, column 1 (\"c\"): the cell \"a\\xFF\" is not UTF-8 text; categories are compared "
                + "and written as text, so convert the file to UTF-8 (iconv -f latin1 -t utf-8) or pass the column through with --pass-through\n")
        #expect(try scratch.listing() == ["t.csv"], "nothing written")
    }

    @Test("A: apply refuses a non-UTF-8 cell in a categorical column of the model")
    func invalidUTF8CategoryInApply() throws {
        let scratch = try Scratch()
        let train = try scratch.write("train.csv", "c,x\na,1\nb,2\n,3\na,4\nb,5\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", train, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        let input = try bytes(scratch, "new.csv", Array("c,x\na,1\n".utf8) + [0x62, 0xFE] + Array(",\n,3\n".utf8))
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("out.csv").path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("miri: error: \(input): line 3, column 1 (\"c\"): the cell \"b\\xFE\" is not UTF-8 text"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.csv").path))
    }

    @Test("A: a passed-through column keeps its non-UTF-8 bytes as they are")
    func invalidUTF8PassThrough() throws {
        let scratch = try Scratch()
        let rows: [[UInt8]] = [Array("id,x\n".utf8), Array("a".utf8) + [0xFF] + Array(",1\n".utf8),
                               Array("b".utf8) + [0xFE] + Array(",\n".utf8), Array("c,3\n".utf8)]
        let input = try bytes(scratch, "t.csv", rows.flatMap { $0 })
        let run = try Tool.run(["impute", input, "--method", "mean", "--quiet", "-o", scratch.file("out.csv").path])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = Array("id,x\n".utf8) + Array("a".utf8) + [0xFF] + Array(",1\n".utf8) + Array("b".utf8) + [0xFE] + Array(",2\nc,3\n".utf8)
        #expect(Array(try Data(contentsOf: scratch.file("out.csv"))) == expected)
    }

    // MARK: B. one-line messages

    @Test("B: a quoted field's line end is escaped: the message is one line")
    func quotedLineEndInMessage() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", "a,b\n1,2\n\"x\ny\",3\n4,\n")
        let run = try Tool.run(["impute", input, "-o", scratch.file("o.csv").path])
        #expect(run.status == 2)
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("miri: error: \(input): line 3, column 1 (\"a\"): cannot read \"x\\ny\" as a number"), "\(run.stderr)")
    }

    @Test("B: column names in apply's mismatch message are escaped: one line")
    func mismatchNameOneLine() throws {
        let scratch = try Scratch()
        let train = try scratch.write("train.csv", "a,b\n1,2\n,3\n4,5\n6,\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", train, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        let input = try scratch.write("new.csv", "\"x\ny\",b\n1,\n")
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("o.csv").path])
        #expect(run.status == 2)
        #expect(run.stderr == "miri: error: \(input): column 1 is \"x\\ny\", but the model \(model) has \"a\" there; "
                + "the columns must be the model's, in its order (\"a\", \"b\")\n")
    }

    // MARK: C. fit writes, apply reads

    @Test("C: apply reads the MICE model fit just wrote (the issue's table)")
    func applyReadsWhatFitWrote() throws {
        let scratch = try Scratch()
        let table = "x,y,c\n,,c\n1,,\n,,b\n96598,,a\n,,a\n0,1,d\n"
        let input = try scratch.write("t.csv", table)
        let model = scratch.file("m.mice").path
        let fit = try Tool.run(["fit", input, "--method", "mice", "--model", model, "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let apply = try Tool.run(["apply", model, input, "-o", scratch.file("o.csv").path, "--quiet"])
        #expect(apply.status == 0, "\(apply.stderr)")
        // Observed cells as written; every missing one filled.
        let out = csvRows(try scratch.read("o.csv"))
        let given = csvRows(table)
        #expect(out.count == given.count)
        for (o, g) in zip(out, given) {
            for (a, b) in zip(o, g) { #expect(b.isEmpty ? !a.isEmpty : a == b) }
        }
    }

    // MARK: E. absurd draw counts

    @Test("E: --draws beyond the limit is usage (64), before any work; nothing left behind")
    func absurdDraws() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", "a,b\n1,2\n,3\n4,5\n6,\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", input, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("o.csv").path, "--draws", "2147483648", "--average"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("--draws is at most 100000 (got 2147483648)"), "\(run.stderr)")
        #expect(try scratch.listing() == ["m.mice", "t.csv"])
    }

    @Test("E: --average of many draws equals the mean of the same draws written one by one")
    func averageIsMeanOfDraws() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", "a,b\n1.5,2.25\n,3.5\n4.25,5.5\n6.5,\n2.75,2.5\n,7.25\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", input, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        #expect(try Tool.run(["apply", model, input, "-o", scratch.file("d.csv").path, "--draws", "5", "--quiet"]).status == 0)
        #expect(try Tool.run(["apply", model, input, "-o", scratch.file("m.csv").path, "--draws", "5", "--average", "--quiet"]).status == 0)
        let draws = try (1...5).map { csvRows(try scratch.read("d.\($0).csv")) }
        let mean = csvRows(try scratch.read("m.csv"))
        for (i, row) in csvRows(try scratch.read("t.csv")).enumerated().dropFirst() {
            for (j, cell) in row.enumerated() where cell.isEmpty {
                let values = draws.map { Double($0[i][j])! }
                let expected = values.reduce(0, +) / 5
                // The running sum is in Float and the draws as written are rounded: a few units
                // in the last place apart, no more.
                #expect(abs(Double(mean[i][j])! - expected) <= 4 * Double(Float(expected).ulp), "row \(i) column \(j)")
            }
        }
    }

    // MARK: G. a full standard output

    @Test("G: --version, info, --help and apply --help report a full standard output (status 1)",
          arguments: [["--version"], ["info"], ["--help"], ["apply", "--help"], ["help", "fit"]])
    func fullStandardOutput(arguments: [String]) throws {
        let scratch = try Scratch()
        let run = try Tool.run(arguments, stdoutPath: OutputTests.fullDevice(scratch))
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr == "miri: error: cannot write standard output: No space left on device\n")
    }

    @Test("G: with a writable standard output they still succeed")
    func helpStillWorks() throws {
        let run = try Tool.run(["apply", "--help"])
        #expect(run.status == 0)
        #expect(run.stdoutText.contains("USAGE: miri apply"))
        #expect(try Tool.run(["--version"]).stdoutText.hasPrefix("miri "))
    }

    // MARK: I. an output that is a directory

    @Test("I: an output that is a directory is refused with status 2 before any work; nothing written in it")
    func directoryOutput() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", "a,b\n1,2\n,3\n4,5\n6,\n")
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", input, "--method", "mice", "--model", model, "--quiet"]).status == 0)
        let folder = scratch.file("dir")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let runs: [([String], String)] = [
            (["apply", model, input, "--draws", "2", "-o", folder.path + "/"], "it has no file name"),
            (["apply", model, input, "-o", folder.path], "it is a directory"),
            (["apply", model, input, "--draws", "2", "--average", "-o", folder.path + "/."], "it has no file name"),
            (["impute", input, "--method", "mean", "-o", folder.path], "it is a directory"),
            (["fit", input, "--method", "mice", "--model", folder.path], "it is a directory"),
            (["fit", input, "--method", "mice", "--model", scratch.file("m2.mice").path, "-o", folder.path + "/.."], "it has no file name"),
            (["ampute", input, "--mechanism", "mcar", "--rate", "0.5", "-o", folder.path], "it is a directory"),
        ]
        for (arguments, reason) in runs {
            let run = try Tool.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasSuffix(": \(reason); the output must name a file\n"), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("fitted") && !run.stderr.contains("applied"), "refused before any work")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(try scratch.listing() == ["dir", "m.mice", "t.csv"])
    }
}

/// Issue 24, H: MICE shows signs of life with --progress, and says when it limits the features.
@Suite struct MICEProgressTests {
    @Test("H: --progress prints one line per MICE round; a wide table's summary names its nearest features")
    func progressAndLimit() throws {
        let scratch = try Scratch()
        var text = (0..<120).map { "c\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<5 {
            let cells: [String] = (0..<120).map { (j: Int) -> String in
                if i > 0 && (i + j) % 7 == 3 { return "" }
                return "\((i * 7 + j * 3) % 11).5"
            }
            text += cells.joined(separator: ",") + "\n"
        }
        let input = try scratch.write("wide.csv", text)
        let run = try Tool.run(["fit", input, "--method", "mice", "--model", scratch.file("m.mice").path, "--progress"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("mice: round 1/10 done"), "\(run.stderr)")
        #expect(run.stderr.contains("32 nearest features of 119 per regression"), "\(run.stderr)")
        let quiet = try Tool.run(["impute", input, "--method", "mice", "-o", scratch.file("o.csv").path, "--quiet", "--progress"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }
}
