import Foundation
import TestSupport
import Testing

/// `miri-bench inference` run as a process: its table, its JSON lines, its refusals.
@Suite(.serialized) struct InferenceCommandTests {
    @Test("A tiny run: every method, m and estimand in the table and the JSON, with the exact sampler beside them")
    func tinyRun() throws {
        let scratch = try Scratch()
        let json = scratch.file("r.jsonl").path
        let run = try Bench.run(["inference", "--settings", "A,B", "--simulations", "3", "--methods", "mean,mice", "--draws", "2,3",
                                 "--rows", "60", "--truth-sample", "10000", "--json", json, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("| mice | 3 | slope of y on x | "), "\(run.stdout)")
        #expect(run.stdout.contains("| exact | 2 | coefficient of z in w ~ x + z | "), "\(run.stdout)")
        #expect(run.stdout.contains("Per cell, the 5–95 % range of 3 draws holds the true value: mean 0.0 %, mice "), "\(run.stdout)")
        let lines = try scratch.read("r.jsonl").split(separator: "\n")
        // A: 2 estimands, B: 3; × 2 values of m × 3 methods (mean, mice, exact).
        #expect(lines.count == (2 + 3) * 2 * 3)
        let bad = try Bench.run(["inference", "--methods", "knn"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown method 'knn'"), "\(bad.stderr)")
        let one = try Bench.run(["inference", "--draws", "1"])
        #expect(one.status != 0 && one.stderr.contains("each m must be at least 2"), "\(one.stderr)")
    }
}
