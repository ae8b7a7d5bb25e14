import Foundation
import TestSupport
import Testing

/// Bad arguments and output paths of `miri-bench`: refused before any work, with one line and
/// `miri`'s statuses (64 usage, 2 a path that names no file, 1 a path that cannot be written).
@Suite(.serialized) struct BenchOutputTests {
    static let tinyInference = ["inference", "--simulations", "1", "--methods", "mean", "--settings", "A", "--rows", "20",
                                "--draws", "2", "--truth-sample", "1000", "--quiet"]

    @Test("inference: --draws beyond 100,000, --rows beyond 10^7, empty --settings or --methods are usage errors (64)")
    func inferenceUsage() throws {
        for (arguments, message) in [(["--draws", "2147483648"], "--draws: each m is at most 100000 (got 2147483648)"),
                                     (["--rows", "4000000000"], "--rows is at most 10000000"),
                                     (["--settings", ""], "--settings: name at least one"),
                                     (["--methods", ","], "--methods: name at least one")] {
            let run = try Bench.run(Self.tinyInference + arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test("--json, --output, --out: a directory is refused with 2, a missing folder with 1, at once and in one line")
    func outputPaths() throws {
        let scratch = try Scratch()
        let missing = scratch.file("no/such/r.json").path
        let cases: [([String], Int32, String)] = [
            (Self.tinyInference + ["--json", "/"], 2, "miri-bench: error: --json /: it has no file name; the output must name a file\n"),
            (Self.tinyInference + ["--json", scratch.url.path], 2, "miri-bench: error: --json \(scratch.url.path): it is a directory; the output must name a file\n"),
            (Self.tinyInference + ["--json", missing], 1, "miri-bench: error: --json \(missing): the folder \(scratch.file("no/such").path) does not exist\n"),
            (["draws", "--data", "synthetic", "--datasets", "two-moons", "--seeds", "1", "--draws", "2", "--averages", "1", "--json", scratch.url.path],
             2, "miri-bench: error: --json \(scratch.url.path): it is a directory; the output must name a file\n"),
            (["mixed", "--data", "/nonexistent.csv", "--output", missing], 1, "miri-bench: error: --output \(missing): the folder \(scratch.file("no/such").path) does not exist\n"),
            (["summary", scratch.url.path, "--out", scratch.url.path], 2, "miri-bench: error: --out \(scratch.url.path): it is a directory; the output must name a file\n"),
        ]
        for (arguments, status, message) in cases {
            let started = Date()
            let run = try Bench.run(arguments)
            #expect(run.status == status && run.stderr == message, "\(arguments): \(run.status) \(run.stderr)")
            #expect(Date().timeIntervalSince(started) < 20, "refused before the run")
        }
        let file = try scratch.write("f.txt", "x")
        let quality = try Bench.run(["quality", "--data", "synthetic", "--datasets", "two-moons", "--methods", "mean", "--seeds", "1", "--out", file, "--quiet"])
        #expect(quality.status == 2 && quality.stderr == "miri-bench: error: --out \(file): it is a file; the output must name a folder\n", "\(quality.stderr)")
    }

    @Test("relative output paths, a bare name included, are checked without trapping")
    func relativePaths() throws {
        let scratch = try Scratch()
        for arguments in [["sweep", ".", "--out", "q"], ["sweep", ".", "--out", "new/q"], ["summary", ".", "--out", "s.md"]] {
            let run = try Bench.run(arguments, in: scratch.url)
            #expect(run.status == 64 && run.stderr.contains("no results.json"), "\(arguments): \(run.status) \(run.stderr)")
        }
        let missing = try Bench.run(["summary", ".", "--out", "nowhere/s.md"], in: scratch.url)
        #expect(missing.status == 1 && missing.stderr == "miri-bench: error: --out nowhere/s.md: the folder nowhere does not exist\n", "\(missing.stderr)")
    }
}
