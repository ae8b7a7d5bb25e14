import Foundation
import TestSupport
import Testing

/// `--methods mice` in `miri-bench quality` and `--method mice` in `miri-bench draws`, run as processes.
@Suite(.serialized) struct MICEBenchTests {
    @Test("quality --methods mean,mice --draws 5: MICE beats the mean on the Gaussian table and gets CRPS and coverage")
    func quality() throws {
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--methods", "mean,mice", "--seeds", "1", "--draws", "5",
                                 "--threads", "1", "--out", scratch.file("out").path, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try Bench.rows(in: scratch)
        #expect(rows.count == 2 * 2, "2 tables × 2 methods")
        func row(_ method: String, _ dataset: String) -> [String: Any]? {
            rows.first { $0["method"] as? String == method && $0["dataset"] as? String == dataset }
        }
        let mice = try #require(row("mice", "synthetic-gaussian")), mean = try #require(row("mean", "synthetic-gaussian"))
        #expect(mice["status"] as? String == "ok")
        let miceRMSE = try #require(mice["rmse"] as? Double), meanRMSE = try #require(mean["rmse"] as? Double)
        #expect(miceRMSE < 0.8 * meanRMSE, "a linear model on correlated Gaussian columns: \(miceRMSE) vs \(meanRMSE)")
        // Draws: CRPS of 5 posterior chains below one draw's MAE scale, a coverage in (0, 1]; the mean imputer's CRPS is its MAE.
        let crps = try #require(mice["crps"] as? Double), coverage = try #require(mice["coverage90"] as? Double)
        let mae = try #require(mice["mae"] as? Double)
        #expect(crps > 0 && crps < 1.5 * mae)
        #expect(coverage > 0.3 && coverage <= 1)
        #expect(mean["crps"] as? Double == mean["mae"] as? Double)
    }

    @Test("draws --method mice: the fitted model's replayed draws, scored")
    func draws() throws {
        let run = try Bench.run(["draws", "--method", "mice", "--data", "synthetic", "--seeds", "1", "--draws", "5",
                                 "--averages", "1,5", "--threads", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("MICE (fit once, posterior predictive draws) multiple imputation, 5 draws"), "\(run.stdout)")
        #expect(run.stdout.contains("| synthetic-gaussian | "), "\(run.stdout)")
        let bad = try Bench.run(["draws", "--method", "knn", "--data", "synthetic"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown method 'knn' (miri or mice)"), "\(bad.stderr)")
    }
}
