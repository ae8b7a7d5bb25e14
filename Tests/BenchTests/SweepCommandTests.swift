import TestSupport
import Foundation
import Testing

/// `miri-bench sweep` on hand-made results: the quality index, the front, stability and the pick.
@Suite(.serialized) struct SweepCommandTests {
    /// One results.json (the keys `quality` writes that the sweep reads; a diverged run has null metrics).
    static func results(_ runs: [(dataset: String, seed: Int, rmse: Double, w1: Double, seconds: Double, ok: Bool)]) -> String {
        let rows = runs.map { r in
            "{\"dataset\": \"\(r.dataset)\", \"method\": \"miri\", \"seed\": \(r.seed), "
                + "\"rmse\": \(r.ok ? "\(r.rmse)" : "null"), \"mae\": 0.5, \"mmd\": 0.01, \"w1\": \(r.ok ? "\(r.w1)" : "null"), "
                + "\"seconds\": \(r.seconds), \"status\": \"\(r.ok ? "ok" : "diverged")\", "
                + "\"note\": \"\(r.ok ? "" : "diverged in round 2, at the ODE")\", \"crps\": \(r.ok ? "0.3" : "null")}"
        }
        return "[\n  " + rows.joined(separator: ",\n  ") + "\n]\n"
    }

    @Test("Hand-worked sweep: dominated and unstable variants are not picked; the pick is the cheapest near-best stable one")
    func handWorked() throws {
        let scratch = try Scratch()
        // Two tables (best RMSE 0.5 and 1.0, best W1 0.05 and 0.1), two seeds, CRPS 0.3 everywhere.
        //   cheap:  5 s a table, 10% worse on RMSE and W1 → index (1.1 + 1.1 + 1)/3 = 1.0667, stable (worst 1.1 ≤ 1.15).
        //   good:  10 s, the best everywhere → index 1, stable.
        //   slow:  20 s, equal to good → dominated by good: not on the front.
        //   flaky:  2 s, best quality, but seed 2 on table b diverged → not stable, and not on the front
        //           (only variants that finished every run are compared there).
        //   noisy:  1 s, table b's RMSE 1.45 is above √2 (worse than MIRI's start) → not stable,
        //           though it finished; index (1.45 + 1.45 + 1)/3 = 1.3, on the front (cheapest).
        let variants: [String: (Double, Double, Double, Bool)] = [
            "cheap": (1.1, 1.1, 5, true), "good": (1, 1, 10, true), "slow": (1, 1, 20, true), "flaky": (1, 1, 2, false),
            "noisy": (1.45, 1.45, 1, true)]
        for (name, v) in variants {
            var runs: [(String, Int, Double, Double, Double, Bool)] = []
            for (dataset, scale) in [("a", 0.5), ("b", 1.0)] {
                for seed in [1, 2] {
                    runs.append((dataset, seed, v.0 * scale, v.1 * 0.1 * scale, v.2, v.3 || dataset == "a" || seed == 1))
                }
            }
            try scratch.write("sweep/\(name)/results.json", Self.results(runs.map { ($0.0, $0.1, $0.2, $0.3, $0.4, $0.5) }))
        }
        let run = try Bench.run(["sweep", scratch.file("sweep").path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let csv = try scratch.read("sweep/sweep.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        func field(_ variant: String, _ key: String) -> String { csv.first { $0[0] == variant }![header.firstIndex(of: key)!] }
        #expect(abs(Double(field("cheap", "quality_index"))! - 3.2 / 3) < 1e-9)
        #expect(abs(Double(field("good", "quality_index"))! - 1) < 1e-9)
        #expect(Double(field("cheap", "seconds")) == 10 && Double(field("slow", "seconds")) == 40, "seconds: one pass over both tables")
        #expect(abs(Double(field("noisy", "quality_index"))! - 3.9 / 3) < 1e-9)
        #expect(field("flaky", "stable") == "false" && field("flaky", "front") == "false")
        #expect(field("slow", "front") == "false")
        #expect(field("noisy", "stable") == "false" && field("noisy", "front") == "true")
        #expect(field("cheap", "stable") == "true" && field("good", "stable") == "true")
        #expect(field("cheap", "front") == "true" && field("good", "front") == "true")
        // cheap is 6.7% worse than good, beyond the 3% tolerance: the pick is good.
        #expect(field("good", "pick") == "true" && field("good", "best") == "true")
        #expect(csv.filter { $0[header.firstIndex(of: "pick")!] == "true" }.count == 1)
        #expect(csv.filter { $0.last == "true" }.count == 1)
        #expect(try scratch.read("sweep/sweep.svg").contains("<svg"))
        #expect(run.stdout.contains("**good** (pick)"))
    }
}
