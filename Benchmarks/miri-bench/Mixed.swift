import Evaluation
import ArgumentParser
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg
import TableIO

/// `miri-bench mixed`: the shared protocol on a mixed table made from bike — two columns
/// binned into labelled categories (x3: 4 seasons, x10: 4 weather levels), the two count
/// columns (x15, x16, stored centred) shifted back to integers, the rest numeric. MCAR 40 %
/// over all cells, seeds as given; per method: accuracy per categorical column, the largest gap
/// between imputed and true category shares, and RMSE over the numeric columns on the
/// standardized scale, next to the RMSE the same method gets on the all-numeric table.
struct Mixed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Imputation quality on a mixed (categorical + integer + numeric) table made from bike.")

    @Option(help: "The bike table.") var data = "../shared/datasets/bike.csv"
    @Option(help: "Use the first N rows (0: all).") var rows = 0
    @Option(help: "Seeds, comma-separated.") var seeds = "1,2,3"
    @Option(help: "Methods, comma-separated: mean, knn, mice, miri.") var methods = "mean,knn,mice,miri"
    @Option(help: "Threads.") var threads = 2
    @Option(help: "Where results.json goes.") var output = "results.json"

    static let labels: [String: [String]] = ["x3": ["winter", "spring", "summer", "fall"], "x10": ["clear", "mist", "light rain", "heavy rain"]]
    static let integers = ["x15", "x16"]

    func run() throws {
        try BenchOutput.checkFile(output, option: "--output")
        let file = try CSVTable.read(path: data)
        let n = rows > 0 ? min(rows, file.values.rows) : file.values.rows, d = file.values.cols
        var complete = file.values.rows(0..<n)
        for name in Self.integers {   // centred counts back to integers: x − min + 1
            guard let j = file.header.firstIndex(of: name) else { continue }
            let low = complete.column(j).min() ?? 0
            for i in 0..<n { complete[i, j] = (complete[i, j] - low + 1).rounded() }
        }
        var truthLabels: [Int: [String]] = [:]
        for (name, names) in Self.labels {
            guard let j = file.header.firstIndex(of: name) else { continue }
            let levels = Array(Set(complete.column(j))).sorted()
            truthLabels[j] = complete.column(j).map { names[min(levels.firstIndex(of: $0) ?? 0, names.count - 1)] }
        }
        let categorical = truthLabels.keys.sorted()
        let numericColumns = (0..<d).filter { truthLabels[$0] == nil }
        let standardization = Standardization(fitting: complete)
        let compute = ComputeContext(threads: threads)
        var report: [String: Any] = ["table": "bike (\(n) rows): \(categorical.map { file.header[$0] }) categorical, \(Self.integers) integer",
                                     "mask": "mcar 0.4", "threads": threads]
        var perMethod: [String: Any] = [:]
        for method in methods.split(separator: ",").map(String.init) {
            var accuracy: [String: [Double]] = [:], gaps: [String: [Double]] = [:], baseline: [String: [Double]] = [:]
            var rmse: [Double] = [], rmseNumeric: [Double] = [], seconds: [Double] = []
            for seed in seeds.split(separator: ",").compactMap({ UInt64($0) }) {
                let observed = MissingnessMechanism.mcar.observed(complete: complete.storage.map(Double.init), rows: n, cols: d, rate: 0.4, seed: seed)
                var masked = complete
                for k in 0..<masked.count where observed.storage[k] == 0 { masked.storage[k] = .nan }
                var textCells: Set<Int> = [], texts: [Int: [String?]] = [:]
                for j in categorical {
                    texts[j] = (0..<n).map { observed[$0, j] == 0 ? nil : truthLabels[j]![$0] }
                    for i in 0..<n {
                        if observed[i, j] != 0 { textCells.insert(i * d + j) }
                        masked[i, j] = .nan
                    }
                }
                let table = MixedTable(names: file.header, values: masked, textCells: textCells, texts: texts)
                let schema = try TableSchema.detect(table).schema
                let imputer = try Self.imputer(method, seed: seed, compute: compute)
                let start = Stopwatch()
                let completion = try schema.impute(table, with: imputer)
                seconds.append(start.seconds)
                for j in categorical {
                    let missingRows = (0..<n).filter { observed[$0, j] == 0 }
                    let imputed = missingRows.map { i -> String in if case let .category(c) = completion.cell(i, j) { return c }; return "" }
                    let truth = missingRows.map { truthLabels[j]![$0] }
                    accuracy[file.header[j], default: []].append(Metrics.accuracy(imputed: imputed, truth: truth))
                    gaps[file.header[j], default: []].append(Metrics.largestShareGap(imputed: imputed, truth: truth))
                    let mode = truthLabels[j]!.indices.filter { observed[$0, j] != 0 }.map { truthLabels[j]![$0] }
                    let frequent = Dictionary(grouping: mode, by: { $0 }).max { $0.value.count < $1.value.count }?.key ?? ""
                    baseline[file.header[j], default: []].append(Metrics.accuracy(imputed: truth.map { _ in frequent }, truth: truth))
                }
                rmse.append(Self.rmse(numericColumns, observed: observed, truth: complete, standardization: standardization) { i, j in
                    switch completion.cell(i, j) { case let .number(v), let .integer(v): return v; default: return complete[i, j] }
                })
                // The same mask on the all-numeric table (categories as their numbers), same method.
                var numericMasked = complete
                for k in 0..<numericMasked.count where observed.storage[k] == 0 { numericMasked.storage[k] = .nan }
                let allNumeric = try Self.imputer(method, seed: seed, compute: compute).impute(numericMasked).imputed
                rmseNumeric.append(Self.rmse(numericColumns, observed: observed, truth: complete, standardization: standardization) { allNumeric[$0, $1] })
                FileHandle.standardError.write(Data("\(method) seed \(seed): accuracy \(Self.sorted(accuracy)) share gap \(Self.sorted(gaps)) rmse \(rmse.last!) (all-numeric \(rmseNumeric.last!)) \(String(format: "%.1f", seconds.last!)) s\n".utf8))
            }
            perMethod[method] = ["accuracy": accuracy.mapValues(Self.meanStd), "share_gap": gaps.mapValues(Self.meanStd),
                                 "most_frequent_accuracy": baseline.mapValues(Self.meanStd), "rmse": Self.meanStd(rmse),
                                 "rmse_all_numeric": Self.meanStd(rmseNumeric), "seconds": Self.meanStd(seconds)]
        }
        report["methods"] = perMethod
        let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try BenchOutput.write(json, to: output, option: "--output")
        print(String(decoding: json, as: UTF8.self))
    }

    static func imputer(_ method: String, seed: UInt64, compute: ComputeContext) throws -> any Imputer {
        guard let method = ImputationMethod(rawValue: method) else { throw ValidationError("unknown method \(method)") }
        return method.makeImputer(.init(seed: seed, compute: compute))
    }

    /// RMSE over the missing cells of `columns`, each on its full-data standardized scale.
    static func rmse(_ columns: [Int], observed: Matrix, truth: Matrix, standardization: Standardization, value: (Int, Int) -> Float) -> Double {
        var sum = 0.0, count = 0
        for i in 0..<truth.rows {
            for j in columns where observed[i, j] == 0 {
                let e = (Double(value(i, j)) - Double(truth[i, j])) / standardization.stds[j]
                sum += e * e; count += 1
            }
        }
        return count == 0 ? 0 : (sum / Double(count)).squareRoot()
    }

    /// The last value of each column's series, in column-name order (a dictionary's own order
    /// changes from run to run).
    static func sorted(_ series: [String: [Double]]) -> String {
        "[" + series.keys.sorted().map { "\($0): \(series[$0]!.last!)" }.joined(separator: ", ") + "]"
    }

    static func meanStd(_ x: [Double]) -> [String: Double] {
        let mean = x.reduce(0, +) / Double(max(x.count, 1))
        let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(x.count, 1))
        return ["mean": mean, "std": variance.squareRoot()]
    }
}
