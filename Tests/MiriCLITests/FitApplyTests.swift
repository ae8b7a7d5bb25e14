import TestSupport
import Foundation
import Testing

/// `miri fit` and `miri apply` end to end, run as processes.
@Suite struct FitApplyTests {
    /// `rows` rows of three correlated columns with about 30% of cells missing (never a whole
    /// column), from a fixed SplitMix64 stream: the same text on every machine.
    static func table(rows: Int, seed: UInt64 = 1, header: String = "a,b,c") -> String {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
        }
        var lines = [header]
        for i in 0..<rows {
            let z = uniform() * 4 - 2
            let values = [z + uniform() * 0.3, 2 * z + uniform() * 0.5, -z + uniform() * 0.4]
            lines.append(values.enumerated().map { j, v in
                i > 0 && uniform() < 0.3 ? ["", "NA", "?"][j] : String(format: "%.4f", v)
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let training = table(rows: 3000)

    @Test("apply on the training table with the fit's seed reproduces impute exactly, across batch boundaries")
    func applyReproducesImpute() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.training)
        let flags = ["--seed", "11", "--quiet"] + Tool.tinyMIRI
        let impute = try Tool.run(["impute", input, "-o", scratch.file("impute.csv").path] + flags)
        #expect(impute.status == 0, "\(impute.stderr)")
        let fit = try Tool.run(["fit", input, "--model", scratch.file("m.miri").path, "-o", scratch.file("fit.csv").path] + flags)
        #expect(fit.status == 0, "\(fit.stderr)")
        let expected = try scratch.read("impute.csv")
        #expect(try scratch.read("fit.csv") == expected, "fit --output is impute's table")
        // Default batches (one here), batches of 1,024 rows (three, the last partial), and the seed
        // given explicitly rather than taken from the model.
        for extra in [[], ["--batch-rows", "1024"], ["--batch-rows", "1500", "--seed", "11"]] {
            let apply = try Tool.run(["apply", scratch.file("m.miri").path, input, "-o", scratch.file("apply.csv").path,
                                      "--threads", "1", "--quiet"] + extra)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(try scratch.read("apply.csv") == expected, "apply \(extra)")
        }
        let other = try Tool.run(["apply", scratch.file("m.miri").path, input, "--seed", "12", "--threads", "1", "--quiet"])
        #expect(other.status == 0 && other.stdoutText != expected, "another seed is another draw")
    }

    @Test("apply to new rows: observed text kept, every missing cell filled, rows per second reported")
    func applyToNewRows() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.training)
        let model = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI).status == 0)
        let fresh = Self.table(rows: 500, seed: 77)
        let run = try Tool.run(["apply", model, "-", "--threads", "1", "--batch-rows", "100"], input: Data(fresh.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("rows/s") && run.stderr.contains("500 rows"), "\(run.stderr)")
        let before = csvRows(fresh), after = csvRows(run.stdoutText)
        #expect(after.count == before.count && after[0] == ["a", "b", "c"])
        for (i, (x, y)) in zip(before, after).enumerated().dropFirst() {
            for j in 0..<3 {
                if missingMarkers.contains(x[j]) {
                    #expect(Float(y[j])?.isFinite == true, "row \(i) column \(j): \(y[j])")
                } else {
                    #expect(x[j] == y[j], "row \(i) column \(j)")
                }
            }
        }
    }

    @Test("--draws m writes OUT.1.csv … OUT.m.csv, draw k from seed N + k − 1; --average their mean")
    func draws() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.table(rows: 400))
        let model = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI).status == 0)
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("out.csv").path, "--draws", "3", "--seed", "5",
                                "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try scratch.listing() == ["m.miri", "out.1.csv", "out.2.csv", "out.3.csv", "train.csv"])
        let draws = try (1...3).map { try scratch.read("out.\($0).csv") }
        #expect(Set(draws).count == 3, "three different draws")
        for k in 1...3 {
            let single = try Tool.run(["apply", model, input, "--seed", "\(4 + k)", "--threads", "1", "--quiet"])
            #expect(single.stdoutText == draws[k - 1], "draw \(k) is the single imputation with seed \(4 + k)")
        }

        let mean = try Tool.run(["apply", model, input, "-o", scratch.file("mean.csv").path, "--draws", "3", "--average",
                                 "--seed", "5", "--threads", "1", "--quiet"])
        #expect(mean.status == 0, "\(mean.stderr)")
        let rows = draws.map(csvRows), averaged = csvRows(try scratch.read("mean.csv")), original = csvRows(try scratch.read("train.csv"))
        var checked = 0
        for i in 1..<original.count {
            for j in 0..<3 where missingMarkers.contains(original[i][j]) {
                let sum = rows.reduce(0.0) { $0 + Double(Float($1[i][j])!) }
                #expect(Float(averaged[i][j]) == Float(sum / 3), "row \(i) column \(j)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test("columns that are not the model's: exit 2 naming the column, nothing written")
    func wrongColumns() throws {
        let scratch = try Scratch()
        let model = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", try scratch.write("train.csv", Self.table(rows: 200)), "--model", model, "--quiet"]
                             + Tool.tinyMIRI).status == 0)
        let renamed = try scratch.write("renamed.csv", Self.table(rows: 20, header: "a,B,c"))
        let run = try Tool.run(["apply", model, renamed, "-o", scratch.file("out.csv").path])
        #expect(run.status == 2)
        #expect(run.stderr == "miri: error: \(renamed): column 2 is \"B\", but the model \(model) has \"b\" there; "
                + "the columns must be the model's, in its order (\"a\", \"b\", \"c\")\n", "\(run.stderr)")
        let narrow = try scratch.write("narrow.csv", "a,b\n1,\n2,3\n")
        let short = try Tool.run(["apply", model, narrow, "-o", scratch.file("out.csv").path])
        #expect(short.status == 2 && short.stderr.contains("2 columns, but the model \(model) was fitted on 3"), "\(short.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.csv").path))
    }

    @Test("a damaged or wrong model file: exit 2 with the reason, nothing written")
    func damagedModel() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.table(rows: 200))
        let model = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI).status == 0)
        let bytes = try Data(contentsOf: scratch.file("m.miri"))
        try bytes.prefix(bytes.count / 2).write(to: scratch.file("cut.miri"))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 1
        try flipped.write(to: scratch.file("flipped.miri"))
        let cases = [("cut.miri", "truncated: the header says \(bytes.count) bytes, the file has \(bytes.count / 2)"),
                     ("flipped.miri", "checksum mismatch"),
                     ("train.csv", "not a MIRI model file"),
                     ("none.miri", "cannot read: No such file or directory")]
        for (name, reason) in cases {
            let run = try Tool.run(["apply", scratch.file(name).path, input, "-o", scratch.file("out.csv").path])
            #expect(run.status == 2, "\(name): \(run.stderr)")
            #expect(run.stderr.hasPrefix("miri: error: \(scratch.file(name).path): \(reason)"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.csv").path))
    }

    @Test("Ctrl-C during apply: exit 130 within a round, no output and no temporary file")
    func interruptApply() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.table(rows: 8_000))
        let model = scratch.file("m.miri").path
        let slow = ["--rounds", "30", "--epochs", "1", "--hidden", "64,64", "--steps", "30", "--threads", "1", "--quiet"]
        #expect(try Tool.run(["fit", input, "--model", model] + slow).status == 0)
        _ = FileManager.default.createFile(atPath: scratch.file("err").path, contents: nil)
        let process = Process()
        process.executableURL = Tool.executable.url
        process.arguments = ["apply", model, input, "-o", scratch.file("out.csv").path, "--threads", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: scratch.file("err"))
        try process.run()
        // Wait for the temporary output to appear: the run is then imputing its first batch.
        let deadline = Date().addingTimeInterval(30)
        func started() throws -> Bool { try scratch.listing().contains { $0.hasSuffix(".tmp") } }
        while try process.isRunning && Date() < deadline && !started() { usleep(2_000) }
        #expect(process.isRunning, "apply ended before the signal")
        let signalled = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = try scratch.read("err")
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr == "miri: error: interrupted; nothing was written\n")
        #expect(Date().timeIntervalSince(signalled) < 10, "stops within a round, not at the end of the batch")
        #expect(try scratch.listing() == ["err", "m.miri", "train.csv"], "no output, no temporary file")
    }

    @Test func fitNeedsMissingCells() throws {
        let run = try Tool.run(["fit", "-", "--model", "m.miri"] + Tool.tinyMIRI, input: Data("a,b\n1,2\n3,4\n".utf8))
        #expect(run.status == 2)
        #expect(run.stderr.contains("<stdin> has no missing cells"), "\(run.stderr)")
    }

    @Test(arguments: [
        ["apply", "m.miri", "x.csv", "--draws", "0"],
        ["apply", "m.miri", "x.csv", "--draws", "3"],
        ["apply", "m.miri", "x.csv", "-o", "-", "--draws", "3"],
        ["apply", "m.miri", "x.csv", "--average"],
        ["apply", "m.miri"],
        ["fit", "x.csv"],
        ["fit", "x.csv", "--model", "m.miri", "--epochs", "0"],
    ])
    func badUsageExitsWith64(arguments: [String]) throws {
        let run = try Tool.run(arguments)
        #expect(run.status == 64, "stderr: \(run.stderr)")
    }

    @Test func drawPaths() throws {
        // Through the tool's own naming: a name without extension and a dotted folder.
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", Self.table(rows: 100))
        let model = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI).status == 0)
        try FileManager.default.createDirectory(at: scratch.file("v1.2"), withIntermediateDirectories: true)
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("v1.2/out").path, "--draws", "2", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.file("v1.2").path).sorted() == ["out.1", "out.2"])
    }
}
