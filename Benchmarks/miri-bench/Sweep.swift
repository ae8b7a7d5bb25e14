import ArgumentParser
import Foundation

/// `miri-bench sweep`: reads the `quality` results of several MIRI variants (one folder each, as
/// `scripts/sweep.sh` writes them) and compares their cost and quality: a table, a CSV, and a chart
/// of RMSE, W1 and CRPS against seconds with the cost/quality front drawn in.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare MIRI variants from quality runs: quality against seconds, the front, the stable pick.",
        discussion: """
            Each FOLDER holds one sub-folder per variant with the results.json of `miri-bench quality --methods miri` \
            (folders given later add tables to a variant of the same name, e.g. a protein-only run). Writes \
            sweep.md, sweep.csv and sweep.svg into --out (default: the first FOLDER).
            """)

    @Argument(help: "Folders of variant sub-folders (each with a results.json from quality).")
    var folders: [String]

    @Option(help: "Variant the others are compared with.")
    var baseline = "fast"

    @Option(help: ArgumentHelp("Folder for sweep.md, sweep.csv, sweep.svg (default: the first FOLDER).", valueName: "dir"))
    var out: String?

    func run() throws {
        if let out { try BenchOutput.checkFolder(out, option: "--out") }
        var runs: [SweepRun] = []
        for folder in folders { runs += try SweepRun.load(folder: folder) }
        guard !runs.isEmpty else { throw ValidationError("no results.json found under \(folders.joined(separator: ", "))") }
        let analysis = SweepAnalysis(runs: runs, baseline: baseline)
        let target = URL(fileURLWithPath: out ?? folders[0])
        let markdown = analysis.markdown()
        print(markdown, terminator: "")
        try BenchOutput.createFolder(target.path, option: "--out")
        try Data(markdown.utf8).write(to: target.appendingPathComponent("sweep.md"), options: .atomic)
        try Data(analysis.csv().utf8).write(to: target.appendingPathComponent("sweep.csv"), options: .atomic)
        try Data(SweepChart.svg(analysis).utf8).write(to: target.appendingPathComponent("sweep.svg"), options: .atomic)
    }
}

/// One MIRI run of a sweep: a variant on one table with one seed.
struct SweepRun {
    var variant: String
    var dataset: String
    var seed: Int
    var rmse: Double
    var w1: Double
    var crps: Double
    var seconds: Double
    var finished: Bool

    /// Every `results.json` one level below `folder` (as `quality` writes it), the sub-folder's
    /// name being the variant.
    static func load(folder: String) throws -> [SweepRun] {
        let root = URL(fileURLWithPath: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        var runs: [SweepRun] = []
        for name in names {
            let file = root.appendingPathComponent(name).appendingPathComponent("results.json")
            runs += try ResultsFile.rows(at: file).compactMap { row in
                guard row["method"] as? String == "miri", let dataset = row["dataset"] as? String else { return nil }
                func number(_ key: String) -> Double { row[key] as? Double ?? .nan }   // null (a failed run): NaN
                return SweepRun(variant: name, dataset: dataset, seed: row["seed"] as? Int ?? 0, rmse: number("rmse"),
                                w1: number("w1"), crps: number("crps"), seconds: number("seconds"),
                                finished: row["status"] as? String == "ok")
            }
        }
        return runs
    }
}

/// Per-variant cost and quality over the tables every variant ran, and the pick.
///
/// - cost: seconds for one pass over the tables (per table, the mean over seeds; summed);
/// - quality index: for each table and metric (RMSE, W1, and CRPS when every variant has it), the
///   variant's mean over seeds divided by the best variant's mean on that table, averaged: 1 is
///   "best on everything";
/// - stable: every run finished, and on every table and seed its RMSE is below √2, the RMSE of
///   MIRI's own starting point (an independent N(0, 1) draw against a standardized truth has
///   E(x − z)² = 2): no seed or table where it diverged or ended worse than where it started.
///   (`worst run / best`, the largest ratio of one run's RMSE or W1 to the table's best mean, is
///   reported beside it; it mostly measures W1's seed-to-seed spread on the small tables.)
/// - front: among the variants that finished every run, no other is at least as cheap and as good
///   on the quality index (and strictly better in one);
/// - pick: the cheapest stable variant whose quality index is within 3% of the best stable one's.
struct SweepAnalysis {
    struct Variant {
        var name: String
        var seconds: Double
        var rmse: Double, w1: Double, crps: Double
        var qualityIndex: Double
        var worstRatio: Double
        var finished: Int, total: Int
        var stable: Bool
        var onFront = false
        var perTable: [String: (rmse: Double, w1: Double, seconds: Double)]
    }

    let datasets: [String]
    let seeds: [Int]
    var variants: [Variant]
    let baseline: String
    var pick: String?
    /// The stable variant with the best quality index.
    var best: String?

    /// The RMSE of an N(0, 1) fill against standardized columns: √(1 + 1).
    static let noiseStartRMSE = 2.0.squareRoot()
    static let pickTolerance = 1.03

    init(runs: [SweepRun], baseline: String) {
        self.baseline = baseline
        let names = Array(Set(runs.map(\.variant))).sorted()
        // Tables every variant ran, in first-seen order.
        var order: [String] = []
        for r in runs where !order.contains(r.dataset) { order.append(r.dataset) }
        let datasets = order.filter { d in names.allSatisfy { v in runs.contains { $0.variant == v && $0.dataset == d } } }
        self.datasets = datasets
        seeds = Array(Set(runs.map(\.seed))).sorted()
        let useCRPS = runs.filter { datasets.contains($0.dataset) }.allSatisfy { !$0.finished || $0.crps.isFinite }

        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
        func cell(_ v: String, _ d: String, _ metric: KeyPath<SweepRun, Double>) -> Double {
            mean(runs.filter { $0.variant == v && $0.dataset == d && $0.finished }.map { $0[keyPath: metric] })
        }
        let metrics: [KeyPath<SweepRun, Double>] = useCRPS ? [\.rmse, \.w1, \.crps] : [\.rmse, \.w1]
        var tableBest: [String: [Double]] = [:]
        for d in datasets { tableBest[d] = metrics.map { m in names.map { cell($0, d, m) }.filter(\.isFinite).min() ?? .nan } }

        var variants: [Variant] = names.map { v in
            let mine = runs.filter { $0.variant == v && datasets.contains($0.dataset) }
            var ratios: [Double] = [], worst = 0.0, sound = true
            var perTable: [String: (Double, Double, Double)] = [:]
            for d in datasets {
                for (k, m) in metrics.enumerated() { ratios.append(cell(v, d, m) / tableBest[d]![k]) }
                for r in mine where r.dataset == d && r.finished {
                    worst = max(worst, r.rmse / tableBest[d]![0], r.w1 / tableBest[d]![1])
                    sound = sound && r.rmse < Self.noiseStartRMSE
                }
                perTable[d] = (cell(v, d, \.rmse), cell(v, d, \.w1), mean(mine.filter { $0.dataset == d }.map(\.seconds)))
            }
            let finished = mine.filter(\.finished).count
            let index = ratios.allSatisfy(\.isFinite) ? mean(ratios) : .infinity
            return Variant(name: v, seconds: datasets.map { perTable[$0]!.2 }.reduce(0, +),
                           rmse: mean(datasets.map { cell(v, $0, \.rmse) }), w1: mean(datasets.map { cell(v, $0, \.w1) }),
                           crps: useCRPS ? mean(datasets.map { cell(v, $0, \.crps) }) : .nan,
                           qualityIndex: index, worstRatio: worst, finished: finished, total: mine.count,
                           stable: finished == mine.count && sound, perTable: perTable)
        }
        // Only variants that finished every run are comparable over all tables and seeds.
        let complete = variants.filter { $0.finished == $0.total && $0.qualityIndex.isFinite }
        for i in variants.indices {
            let me = variants[i]
            variants[i].onFront = complete.contains { $0.name == me.name } && !complete.contains {
                $0.name != me.name && $0.seconds <= me.seconds && $0.qualityIndex <= me.qualityIndex
                    && ($0.seconds < me.seconds || $0.qualityIndex < me.qualityIndex)
            }
        }
        variants.sort { $0.seconds < $1.seconds }
        self.variants = variants
        let stable = variants.filter(\.stable)
        if let bestIndex = stable.map(\.qualityIndex).min() {
            best = stable.first { $0.qualityIndex == bestIndex }?.name
            pick = stable.first { $0.qualityIndex <= bestIndex * Self.pickTolerance }?.name
        }
    }

    func markdown() -> String {
        var s = "Sweep over \(datasets.joined(separator: ", ")); seeds \(seeds.map(String.init).joined(separator: ",")).\n"
        s += "Seconds: one pass over these tables (per table the mean over seeds, summed). Quality index: each table's "
        s += "RMSE, W1\(variants.first?.crps.isFinite == true ? ", CRPS" : "") over the best variant's on that table, averaged (1 = best on all). "
        s += "Stable: every run finished with an RMSE below √2 ≈ 1.414 (MIRI's starting point, an N(0, 1) fill). "
        s += "Worst run / best: the largest ratio of one run's RMSE or W1 to the table's best mean.\n\n"
        s += "| variant | seconds | × \(baseline) | RMSE | W1 | CRPS | quality index | worst run / best | stable | front |\n"
        s += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        let base = variants.first { $0.name == baseline }?.seconds ?? .nan
        for v in variants {
            let name = v.name == pick ? "**\(v.name)** (pick)" : v.name
            s += String(format: "| %@ | %.1f | %.2f | %.3f | %.4f | %@ | %.3f | %.2f | %@ | %@ |\n", name, v.seconds, v.seconds / base,
                        v.rmse, v.w1, v.crps.isFinite ? String(format: "%.4f", v.crps) : "–", v.qualityIndex, v.worstRatio,
                        v.stable ? "yes" : v.finished < v.total ? "no (\(v.finished)/\(v.total) finished)" : "no (RMSE ≥ √2)", v.onFront ? "yes" : "")
        }
        s += "\nPer table, RMSE / W1 / seconds (mean over seeds):\n\n| variant | " + datasets.joined(separator: " | ") + " |\n"
        s += "| --- |" + String(repeating: " --- |", count: datasets.count) + "\n"
        for v in variants {
            s += "| \(v.name) | " + datasets.map { d in
                let t = v.perTable[d]!
                return String(format: "%.3f / %.3f / %.1f", t.rmse, t.w1, t.seconds)
            }.joined(separator: " | ") + " |\n"
        }
        s += "\nPick (cheapest stable variant within \(Int(((Self.pickTolerance - 1) * 100).rounded()))% of the best stable quality index): \(pick ?? "none")\n"
        s += "Best (stable variant with the best quality index): \(best ?? "none")\n"
        return s
    }

    func csv() -> String {
        var lines = ["variant,seconds,rmse,w1,crps,quality_index,worst_ratio,finished,total,stable,front,pick,best"]
        for v in variants {
            lines.append([v.name, "\(v.seconds)", "\(v.rmse)", "\(v.w1)", v.crps.isFinite ? "\(v.crps)" : "", "\(v.qualityIndex)",
                          "\(v.worstRatio)", "\(v.finished)", "\(v.total)", "\(v.stable)", "\(v.onFront)", "\(v.name == pick)", "\(v.name == best)"]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
