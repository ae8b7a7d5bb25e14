import Evaluation
import ArgumentParser
import Foundation
import Imputation

/// `miri-bench summary`: one Markdown table per missingness mechanism from many `quality` runs
/// (as `scripts/mechanisms.sh` lays them out: one folder per mechanism and method).
///
/// Why a command and not the quality report: the runs of one mechanism come from several
/// invocations (a method at a time, so MIRI can be added later without rerunning the
/// baselines), and the comparison wanted is across them.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize quality runs by mechanism: RMSE, MMD, W1, bias and NN ratio, mean ± std over seeds.",
        discussion: """
            Reads every results.json below each FOLDER (folders ending in .part, unfinished runs, are skipped) and \
            writes one Markdown table per mechanism and rate: a row per dataset and method. Printed, and written to --out.
            """)

    @Argument(help: "Folders holding quality results (searched at any depth for results.json).")
    var folders: [String]

    @Option(help: ArgumentHelp("Where to write the Markdown (default: FOLDER/summary.md for the first FOLDER).", valueName: "file"))
    var out: String?

    func run() throws {
        let target = out ?? URL(fileURLWithPath: folders[0]).appendingPathComponent("summary.md").path
        try BenchOutput.checkFile(target, option: "--out")
        var files: [URL] = []
        for folder in folders { files += Self.resultFiles(below: URL(fileURLWithPath: folder)) }
        var rows: [QualityRow] = []
        for file in files { rows += try ResultsFile.rows(at: file).compactMap(QualityRow.init(json:)) }
        guard !rows.isEmpty else { throw ValidationError("no results.json with result rows under \(folders.joined(separator: ", "))") }
        let markdown = Self.markdown(rows, files: files.count)
        print(markdown, terminator: "")
        try BenchOutput.write(Data(markdown.utf8), to: target, option: "--out")
    }

    /// `results.json` files at any depth below `folder`, in path order; `.part` folders skipped.
    static func resultFiles(below folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            if url.pathExtension == "part" { walker.skipDescendants(); continue }
            if url.lastPathComponent == "results.json" { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The tables: per (mechanism, rate) in the order mcar, mar, mnar, mnar-self; datasets in the
    /// order first seen, methods in `BenchMethod`'s order (a stable sort keeps others as first seen).
    static func markdown(_ rows: [QualityRow], files: Int) -> String {
        var s = "# Quality by missingness mechanism\n\n"
        s += "From \(files) results.json file(s) of `miri-bench quality`. Cells: mean ± sample std over the seeds that "
        s += "finished (BENCHMARK.md's protocol, standardized scale). RMSE, MMD and W1: lower is better. Bias: mean of "
        s += "(imputed − true) over the missing entries, best at 0. NN ratio: median distance from an imputed row to the "
        s += "nearest complete true row over the same for the true rows, best at 1 (– where no complete row exists).\n"
        let order = MissingnessMechanism.allCases.map(\.rawValue)
        let groups = Dictionary(grouping: rows) { GroupKey(mechanism: $0.mechanism, rate: $0.rate) }
        let keys = groups.keys.sorted {
            let a = order.firstIndex(of: $0.mechanism) ?? order.count, b = order.firstIndex(of: $1.mechanism) ?? order.count
            return a != b ? a < b : $0.rate < $1.rate
        }
        for key in keys {
            let mine = groups[key] ?? []
            s += "\n## \(key.mechanism), rate \(key.rate)\n\n"
            s += "| dataset | method | RMSE | MMD | W1 | bias | NN ratio | seeds | note |\n"
            s += "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            for dataset in firstSeen(mine.map(\.dataset)) {
                let ofDataset = mine.filter { $0.dataset == dataset }
                let methods = firstSeen(ofDataset.map(\.method)).sorted { methodRank($0) < methodRank($1) }
                for method in methods {
                    let m = MethodSummary(dataset: dataset, method: method, rows: ofDataset.filter { $0.method == method })
                    let seeds = m.rows.map { String($0.seed) }.joined(separator: ",")
                    s += "| \(dataset) | \(m.label) | \(m.cell(\.rmse, 4)) | \(m.cell(\.mmd, 5)) | \(m.cell(\.w1, 4)) | "
                        + "\(m.cell(\.bias, 4)) | \(m.cell(\.nnRatio, 3)) | \(seeds) | \(m.note) |\n"
                }
            }
        }
        return s
    }

    struct GroupKey: Hashable {
        var mechanism: String
        var rate: Double
    }

    /// Methods in `BenchMethod`'s order (mean, knn, miri, mice, noise), others after them.
    private static func methodRank(_ name: String) -> Int {
        BenchMethod.allCases.firstIndex { $0.rawValue == name } ?? BenchMethod.allCases.count
    }

    private static func firstSeen(_ values: [String]) -> [String] {
        var seen: [String] = []
        for v in values where !seen.contains(v) { seen.append(v) }
        return seen
    }
}

/// Reading back the results.json that `quality` writes.
enum ResultsFile {
    /// The objects of `file`; empty when it does not exist or cannot be read.
    static func rows(at file: URL) throws -> [[String: Any]] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        guard let rows = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ValidationError("\(file.path): not an array of result rows")
        }
        return rows
    }
}

extension QualityRow {
    /// A row of results.json: the keys `QualityReport.fields` writes (null metrics → NaN). Files
    /// written before the mechanism keys existed are MCAR at their `missing_rate`.
    init?(json row: [String: Any]) {
        guard let dataset = row["dataset"] as? String, let method = row["method"] as? String,
              let seed = row["seed"] as? Int, seed >= 0 else { return nil }
        func number(_ key: String) -> Double { row[key] as? Double ?? .nan }
        self.init(dataset: dataset, method: method, seed: UInt64(seed))
        rmse = number("rmse"); mae = number("mae"); mmd = number("mmd"); w1 = number("w1"); seconds = number("seconds")
        bias = number("bias"); nnRatio = number("nn_ratio")
        status = row["status"] as? String ?? "ok"
        note = row["note"] as? String ?? ""
        preset = row["preset"] as? String ?? ""
        mechanism = row["mechanism"] as? String ?? MissingnessMechanism.mcar.rawValue
        rate = row["rate"] as? Double ?? number("missing_rate")
    }
}
