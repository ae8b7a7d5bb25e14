import Foundation
import TestSupport
@testable import miri_bench
import Testing

/// `miri-bench quality` end to end: the built tool run as a process.
@Suite(.serialized) struct QualityCommandTests {
    static let contractKeys = ["dataset", "method", "seed", "rmse", "mae", "mmd", "w1", "seconds"]

    @Test("Built-in tables, mean + kNN + a tiny MIRI: well-formed JSON with the exact keys and sane values, CSV, Markdown, SVG")
    func syntheticRunIsWellFormed() throws {
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--methods", "mean,knn,miri", "--seeds", "1,2",
                                 "--threads", "1", "--out", scratch.file("out").path, "--quiet"] + Bench.tinyMIRI)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty, "--quiet: \(run.stderr)")

        let rows = try Bench.rows(in: scratch)
        #expect(rows.count == 2 * 3 * 2, "2 tables × 3 methods × 2 seeds")
        for row in rows {
            for key in Self.contractKeys { #expect(row[key] != nil, "key \(key) missing in \(row)") }
            let dataset = row["dataset"] as? String, method = row["method"] as? String
            #expect(["synthetic-gaussian", "synthetic-nonlinear"].contains(dataset ?? ""))
            #expect(["mean", "knn", "miri"].contains(method ?? ""))
            #expect([1, 2].contains(row["seed"] as? Int ?? 0))
            #expect(row["status"] as? String == "ok", "\(row)")
            let rmse = try #require(row["rmse"] as? Double), mae = try #require(row["mae"] as? Double)
            let mmd = try #require(row["mmd"] as? Double), w1 = try #require(row["w1"] as? Double)
            let seconds = try #require(row["seconds"] as? Double)
            #expect(rmse > 0.3 && rmse < 2.5, "rmse \(rmse) in \(row)")
            #expect(mae > 0 && mae <= rmse, "MAE ≤ RMSE always: \(row)")
            #expect(mmd > -1e-9 && mmd < 0.2, "\(row)")
            #expect(w1 >= 0 && w1 < 1, "\(row)")
            #expect(seconds >= 0, "\(row)")
        }
        // Standardized columns: mean imputation's RMSE is the root mean square of the missing
        // truths, ≈ 1; kNN has strong correlations to use on the Gaussian table.
        func mean(_ method: String, _ dataset: String, _ key: String) -> Double {
            let v = rows.filter { $0["method"] as? String == method && $0["dataset"] as? String == dataset }
                .compactMap { $0[key] as? Double }
            return v.reduce(0, +) / Double(v.count)
        }
        #expect(abs(mean("mean", "synthetic-gaussian", "rmse") - 1) < 0.1)
        #expect(mean("knn", "synthetic-gaussian", "rmse") < 0.8 * mean("mean", "synthetic-gaussian", "rmse"))
        #expect(mean("knn", "synthetic-gaussian", "mmd") < mean("mean", "synthetic-gaussian", "mmd"))

        let csv = try scratch.read("out/results.csv").split(separator: "\n")
        #expect(csv.count == 1 + rows.count)
        #expect(csv.first?.hasPrefix(Self.contractKeys.joined(separator: ",") + ",") == true)

        let markdown = try scratch.read("out/results.md")
        #expect(markdown.contains("## synthetic-gaussian (400 × 5, seeds 1, 2)"))
        #expect(markdown.contains("| method | RMSE (point) | MAE (point) | MMD (distr.) | W1 (distr.) | bias | NN ratio | seconds | note |"))
        #expect(markdown.contains("√2"))
        #expect(run.stdout.contains("## synthetic-nonlinear"), "tables printed on stdout")
        #expect(run.stdout.contains("kernel core"), "OpenBLAS core in the header")
        #expect(run.stdout.contains("1 thread(s)"))

        let svg = try scratch.read("out/quality.svg")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("log scale"))
    }

    /// A hand-made table, imputed with column means, scored by a computation written here from
    /// BENCHMARK.md alone (Double throughout; SplitMix64 re-implemented).
    @Test("Mean imputation's RMSE, MAE and W1 on a hand-made CSV equal an independent computation of the protocol")
    func meanRMSEMatchesIndependentComputation() throws {
        // Column c is constant: std 0 → 1, so it standardizes to 0 and contributes 0 error.
        let table: [[Double]] = [
            [1.0, 10, 5], [2.0, 14, 5], [4.0, 9, 5], [3.5, 20, 5], [0.5, 11, 5],
            [6.0, 13, 5], [2.5, 18, 5], [5.0, 7, 5], [1.5, 16, 5], [3.0, 12, 5],
        ]
        let seed: UInt64 = 3, rate = 0.4
        let n = table.count, d = table[0].count

        // Standardize: full-data mean and population std per column (std 0 → 1).
        var z = table
        for j in 0..<d {
            let column = table.map { $0[j] }
            let mu = column.reduce(0, +) / Double(n)
            var sd = (column.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(n)).squareRoot()
            if sd == 0 { sd = 1 }
            for i in 0..<n { z[i][j] = (table[i][j] - mu) / sd }
        }
        // SplitMix64 mask, row-major, missing when u < rate.
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var x = state
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            return Double(x >> 11) * 0x1p-53
        }
        var missing = [[Bool]](repeating: [Bool](repeating: false, count: d), count: n)
        for i in 0..<n { for j in 0..<d { missing[i][j] = uniform() < rate } }
        for j in 0..<d { try #require(missing.contains { !$0[j] }, "column \(j) keeps an observed value") }
        let missingCount = missing.joined().filter { $0 }.count
        try #require(missingCount > 0)

        // Impute with the observed mean of each standardized column; score.
        var imputed = z
        for j in 0..<d {
            let observed = (0..<n).filter { !missing[$0][j] }.map { z[$0][j] }
            let mu = observed.reduce(0, +) / Double(observed.count)
            for i in 0..<n where missing[i][j] { imputed[i][j] = mu }
        }
        var se = 0.0, ae = 0.0, worst = 0.0
        for i in 0..<n { for j in 0..<d where missing[i][j] {
            se += (imputed[i][j] - z[i][j]) * (imputed[i][j] - z[i][j])
            ae += abs(imputed[i][j] - z[i][j])
            worst = max(worst, abs(imputed[i][j] - z[i][j]))
        } }
        let rmse = (se / Double(missingCount)).squareRoot(), mae = ae / Double(missingCount)
        var signed = 0.0
        for i in 0..<n { for j in 0..<d where missing[i][j] { signed += imputed[i][j] - z[i][j] } }
        let bias = signed / Double(missingCount)
        // NN ratio: median over rows with a missing entry of the distance to the nearest complete
        // true row, imputed over true.
        let complete = (0..<n).filter { !missing[$0].contains(true) }, scored = (0..<n).filter { missing[$0].contains(true) }
        try #require(!complete.isEmpty && !scored.isEmpty)
        func nearest(_ row: [Double], _ i: Int) -> Double {
            var best = Double.infinity
            for c in complete where c != i {
                var squared = 0.0
                for j in 0..<d { squared += (row[j] - z[c][j]) * (row[j] - z[c][j]) }
                best = min(best, squared.squareRoot())
            }
            return best
        }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let nnRatio = median(scored.map { nearest(imputed[$0], $0) }) / median(scored.map { nearest(z[$0], $0) })
        var w1 = 0.0
        for j in 0..<d {
            let a = imputed.map { $0[j] }.sorted(), b = z.map { $0[j] }.sorted()
            w1 += zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Double(n) / Double(d)
        }

        let scratch = try Scratch()
        let csv = "a,b,c\n" + table.map { $0.map { String($0) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try scratch.write("data/tiny.csv", csv)
        let run = try Bench.run(["quality", "--data", scratch.file("data").path, "--datasets", "tiny", "--methods", "mean",
                                 "--seeds", String(seed), "--missing-rate", String(rate), "--threads", "1",
                                 "--out", scratch.file("out").path, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try Bench.rows(in: scratch)
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(row["dataset"] as? String == "tiny" && row["method"] as? String == "mean" && row["seed"] as? Int == 3)
        #expect(row["missing_entries"] as? Int == missingCount)
        // Float32 tables inside the tool: agreement to ~1e-6 relative.
        let gotRMSE = try #require(row["rmse"] as? Double), gotMAE = try #require(row["mae"] as? Double)
        let gotW1 = try #require(row["w1"] as? Double)
        #expect(abs(gotRMSE - rmse) < 1e-5 * rmse, "tool \(gotRMSE), by hand \(rmse)")
        #expect(abs(gotMAE - mae) < 1e-5 * mae, "tool \(gotMAE), by hand \(mae)")
        #expect(abs(gotW1 - w1) < 1e-5 * max(w1, 1e-3), "tool \(gotW1), by hand \(w1)")
        let gotWorst = try #require(row["max_abs_error"] as? Double)
        #expect(abs(gotWorst - worst) < 1e-5 * worst, "tool \(gotWorst), by hand \(worst)")
        let gotBias = try #require(row["bias"] as? Double), gotNN = try #require(row["nn_ratio"] as? Double)
        #expect(abs(gotBias - bias) < 1e-5 * max(abs(bias), 1e-3), "tool \(gotBias), by hand \(bias)")
        #expect(abs(gotNN - nnRatio) < 1e-5 * nnRatio, "tool \(gotNN), by hand \(nnRatio)")
        #expect(row["mechanism"] as? String == "mcar" && row["rate"] as? Double == rate)
        #expect(row["missing_rate"] as? Double == Double(missingCount) / Double(n * d), "the realized rate")
    }

    /// Mean imputation under wine's self-masked MNAR (seed 1, rate 0.4), against numpy with masks.py:
    /// imp = X; imp[m[:, j], j] = X[~m[:, j], j].mean(); bias = (imp − X)[m].mean() = −0.7878194204,
    /// RMSE = 1.3825713820; m.sum() = 7198 of 17589. (The hidden values average +0.46, the observed
    /// ones −0.32, so filling with the observed mean misses low by about 0.79.)
    @Test("--mechanism mnar-self on wine: realized rate, bias and RMSE of mean imputation as numpy computes them")
    func selfMaskedWineMatchesNumpy() throws {
        _ = try SharedDatasets.require("wine.csv")
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", SharedDatasets.folder, "--datasets", "wine", "--methods", "mean",
                                 "--seeds", "1", "--mechanism", "mnar-self", "--rate", "0.4", "--threads", "1",
                                 "--out", scratch.file("out").path, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let row = try #require(try Bench.rows(in: scratch).first)
        #expect(row["mechanism"] as? String == "mnar-self")
        #expect(row["missing_entries"] as? Int == 7198)
        #expect(abs((row["missing_rate"] as? Double ?? 0) - 7198.0 / 17589) < 1e-12)
        #expect(abs((row["bias"] as? Double ?? 0) - -0.7878194204) < 1e-5)
        #expect(abs((row["rmse"] as? Double ?? 0) - 1.3825713820) < 1e-5)
        #expect(run.stdout.contains("masked MNAR self-masked"), "the header names the mask")
        let nn = try #require(row["nn_ratio"] as? Double)
        #expect(nn > 0.3 && nn < 1, "a mean fill crowds rows onto the data: \(nn)")
    }

    @Test("--mechanism mar on wine masks masks.py's 5283 entries; the default is mcar with the MCAR mask's 7176")
    func marAndDefaultCounts() throws {
        _ = try SharedDatasets.require("wine.csv")
        for (arguments, mechanism, count) in [(["--mechanism", "mar"], "mar", 5283), ([], "mcar", 7176)] {
            let scratch = try Scratch()
            let run = try Bench.run(["quality", "--data", SharedDatasets.folder, "--datasets", "wine", "--methods", "mean",
                                     "--seeds", "1", "--threads", "1", "--out", scratch.file("out").path, "--quiet"] + arguments)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let row = try #require(try Bench.rows(in: scratch).first)
            #expect(row["mechanism"] as? String == mechanism && row["missing_entries"] as? Int == count)
        }
    }

    @Test("Without a complete row the NN ratio is null, the note and the table say why, the run still succeeds")
    func nnRatioWithoutCompleteRows() throws {
        // 4 × 6, MCAR seed 1 rate 0.6 (masks.py): every row loses a cell, every column keeps one.
        let scratch = try Scratch()
        try scratch.write("data/wide.csv", "a,b,c,d,e,f\n1,2,3,4,5,6\n2,1,4,3,6,5\n5,5,1,1,2,2\n0,3,3,0,1,4\n")
        let run = try Bench.run(["quality", "--data", scratch.file("data").path, "--methods", "mean", "--seeds", "1",
                                 "--rate", "0.6", "--threads", "1", "--out", scratch.file("out").path, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let row = try #require(try Bench.rows(in: scratch).first)
        #expect(row["status"] as? String == "ok")
        #expect(row["nn_ratio"] is NSNull)
        #expect(row["note"] as? String == "nn_ratio undefined: no complete row")
        #expect(row["bias"] is Double)
        #expect(run.stdout.contains("| – | 0."), "NN ratio cell '–', seconds after it: \(run.stdout)")
        #expect(run.stdout.contains("nn_ratio undefined: no complete row |"))
    }

    @Test("--draws m adds CRPS (a point imputer's is its MAE) and MIRI's 90% coverage to the rows")
    func drawsAddCRPSAndCoverage() throws {
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--datasets", "synthetic-gaussian", "--methods", "mean,miri",
                                 "--seeds", "1", "--threads", "1", "--draws", "4", "--out", scratch.file("out").path, "--quiet"]
                                + Bench.tinyMIRI)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try Bench.rows(in: scratch)
        let mean = try #require(rows.first { $0["method"] as? String == "mean" })
        let miri = try #require(rows.first { $0["method"] as? String == "miri" })
        #expect(mean["crps"] as? Double == mean["mae"] as? Double)
        let crps = try #require(miri["crps"] as? Double), coverage = try #require(miri["coverage90"] as? Double)
        // CRPS of m draws = mean|Y − x| − ½·mean|Y − Y′| is positive and at most the draws' average MAE;
        // exchangeable draws have MAEs close to draw 1's (the row's MAE), so 1.5× that is a loose bound.
        #expect(crps > 0 && crps <= 1.5 * (miri["mae"] as? Double ?? 0))
        #expect(coverage >= 0 && coverage <= 1)
        // The CSV header names the draw columns, and every row has as many fields as the header.
        let csv = try scratch.read("out/results.csv").split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(csv[0].contains("crps") && csv[0].contains("coverage90"))
        #expect(csv.allSatisfy { $0.count == csv[0].count })
    }

    @Test("A MIRI run that diverges is a failed row (null metrics, the round named), the table says so, exit 0")
    func divergenceIsRecordedNotFatal() throws {
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--datasets", "synthetic-gaussian", "--methods", "mean,miri",
                                 "--seeds", "1", "--threads", "1", "--lr", "1e30", "--out", scratch.file("out").path, "--quiet"]
                                + Bench.tinyMIRI)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try Bench.rows(in: scratch)
        let miri = try #require(rows.first { $0["method"] as? String == "miri" })
        #expect(miri["status"] as? String == "diverged")
        #expect((miri["note"] as? String)?.contains("diverged in round 1") == true)
        for key in ["rmse", "mae", "mmd", "w1"] { #expect(miri[key] is NSNull, "\(key) is null for a diverged run") }
        #expect(rows.first { $0["method"] as? String == "mean" }?["status"] as? String == "ok")
        #expect(run.stdout.contains("| miri (calibrated) | diverged | diverged | diverged | diverged |"))
        #expect(run.stdout.contains("diverged in round 1"))
    }

    @Test("--per-round prints MIRI's rounds (0 = noise fill) with loss, seconds, RMSE, MMD and MINE's MI; writes rounds.csv")
    func perRoundDiagnostics() throws {
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--datasets", "synthetic-nonlinear", "--methods", "mean,miri",
                                 "--seeds", "1", "--threads", "1", "--per-round", "--mine-steps", "50",
                                 "--out", scratch.file("out").path, "--quiet",
                                 "--rounds", "2", "--epochs", "2", "--hidden", "16", "--steps", "4"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("synthetic-nonlinear seed 1 round  0/2  (noise fill"))
        #expect(run.stdout.contains("synthetic-nonlinear seed 1 round  2/2  loss"))
        #expect(run.stdout.contains("MI "))
        #expect(run.stdout.contains("## MIRI per round"))
        let rounds = try scratch.read("out/rounds.csv").split(separator: "\n")
        #expect(rounds.count == 1 + 3, "header + rounds 0, 1, 2")
        #expect(rounds.first == "dataset,seed,round,mean_loss,train_seconds,ode_seconds,rmse,mmd,w1,mi")
        for line in rounds.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == 10)
            #expect(Double(cells[6]) != nil && Double(cells[9]) != nil, "RMSE and MI present: \(line)")
        }
        let rows = try Bench.rows(in: scratch)
        for row in rows { #expect(row["mi"] is Double, "every method gets MINE's estimate: \(row)") }
    }

    @Test("--epochs replaces the preset's step budget, as `miri --epochs` does; the demo's tables run by name")
    func epochsOverrideStepBudget() throws {
        // The fast preset trains 600 steps a round; `--epochs 2` must mean 2 epochs (here 2 × ⌈2000·5/128⌉
        // steps on two moons, whose 2,000 rows are held 5 times side by side), not 600 steps.
        let scratch = try Scratch()
        let run = try Bench.run(["quality", "--data", "synthetic", "--datasets", "two-moons", "--methods", "miri",
                                 "--seeds", "1", "--threads", "1", "--out", scratch.file("out").path, "--quiet",
                                 "--rounds", "1", "--epochs", "2", "--hidden", "8", "--steps", "2"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("1 rounds, 2 epochs, batch 128"), "the preset line: \(run.stdout.prefix(600))")
        #expect(!run.stdout.contains("600 steps per round"))
        let rows = try Bench.rows(in: scratch)
        #expect(rows.count == 1 && rows.first?["dataset"] as? String == "two-moons")
    }

    @Test("Bad options exit with a usage error and write nothing")
    func badOptions() throws {
        let scratch = try Scratch()
        for arguments in [["--methods", "mean,forest"], ["--preset", "slow"], ["--seeds", "one"], ["--missing-rate", "1.5"],
                          ["--rate", "0"], ["--mechanism", "mnar_self"],
                          ["--data", scratch.file("nowhere").path]] {
            let run = try Bench.run(["quality", "--out", scratch.file("out").path, "--quiet"] + arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: scratch.file("out/results.json").path), "\(arguments)")
        }
    }
}

/// `miri-bench quality` reads its MIRI flags through the library's builder: the drift where its
/// `--epochs` kept the fast preset's 600 steps a round cannot come back.
@Suite("quality's MIRI flags")
struct QualityFlagsTests {
    @Test("--epochs 2 under the fast preset runs 2 epochs a round, whatever the table's size")
    func epochs() throws {
        let quality = try Quality.parse(["--epochs", "2"])
        let c = try quality.miriConfiguration()
        #expect(c.stepsPerRound == nil)
        #expect(c.epochs(forRows: 308) == 2 && c.epochs(forRows: 45_730) == 2)
    }
}
