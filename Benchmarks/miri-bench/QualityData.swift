import Evaluation
import Foundation
import Imputation
import Linalg
import TableIO

/// A complete table the quality benchmark masks and imputes, on its own (raw) scale.
struct BenchTable {
    var name: String
    var columns: [String]
    var values: Matrix
    /// Where it came from: a file path, or "built-in".
    var source: String
    /// The cells in Double, each rounded from the file's text as masks.py's float64 reading rounds
    /// it (the MAR/MNAR masks are computed from these); a built-in table's Float values widened.
    var exact: [Double]

    init(name: String, columns: [String], values: Matrix, source: String, exact: [Double]? = nil) {
        self.name = name
        self.columns = columns
        self.values = values
        self.source = source
        self.exact = exact ?? values.storage.map(Double.init)
    }
}

/// Finding and loading the benchmark's tables: CSV files in a folder, or built-in synthetic ones.
enum QualityData {
    /// The word `--data` takes to ask for the built-in tables explicitly.
    static let syntheticKeyword = "synthetic"

    /// `../shared/datasets` relative to the current folder, else relative to the package root
    /// (found from this source file's path), when it exists; nil otherwise.
    static func defaultDirectory(fileManager: FileManager = .default) -> String? {
        let relative = "../shared/datasets"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent(relative),
            root.appendingPathComponent(relative),
        ]
        for url in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url.standardizedFileURL.path
            }
        }
        return nil
    }

    /// The `*.csv` names (without extension) in `directory`, smallest file first.
    static func available(in directory: String) throws -> [String] {
        let fm = FileManager.default
        let files = try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".csv") }
        let sized = files.map { file -> (String, Int) in
            let size = (try? fm.attributesOfItem(atPath: directory + "/" + file)[.size] as? Int) ?? 0
            return (String(file.dropLast(4)), size)
        }
        return sized.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
    }

    /// Loads `names` (all of the folder's tables when nil) from `directory`.
    /// A table with a missing cell is refused: the benchmark needs the full truth.
    static func load(directory: String, names: [String]?) throws -> [BenchTable] {
        let wanted = try names ?? available(in: directory)
        if wanted.isEmpty { throw BenchError("no .csv files in \(directory)") }
        return try wanted.map { name in
            let path = (directory as NSString).appendingPathComponent(name + ".csv")
            guard FileManager.default.fileExists(atPath: path) else {
                let known = (try? available(in: directory))?.joined(separator: ", ") ?? "none"
                throw BenchError("no dataset '\(name)' in \(directory) (it has: \(known))")
            }
            let table = try CSVTable.read(path: path)
            if table.missingCount > 0 {
                throw BenchError("\(path) has \(table.missingCount) missing cell(s); the benchmark needs complete tables")
            }
            return BenchTable(name: name, columns: table.header, values: table.values, source: path, exact: table.doubleValues())
        }
    }

    /// The built-in tables (`names` picks some of them, the demo's among them; nil: the two
    /// small ones), for when no dataset folder is at hand.
    static func synthetic(names: [String]?) throws -> [BenchTable] {
        let small = [correlatedGaussian(), nonlinear()], all = small + demoTables() + [sensorArray()]
        guard let names else { return small }
        return try names.map { name in
            guard let table = all.first(where: { $0.name == name }) else {
                throw BenchError("no built-in table '\(name)' (built-in: \(all.map(\.name).joined(separator: ", ")))")
            }
            return table
        }
    }

    /// `miri demo`'s two tables at its default seed (0): two moons and the copula table, 2,000 rows each.
    static func demoTables() -> [BenchTable] {
        var random = SyntheticTables.stream(seed: 0)
        let moons = SyntheticTables.twoMoons(rows: 2000, random: &random)
        let copula = SyntheticTables.copula(rows: 2000, random: &random)
        return [BenchTable(name: "two-moons", columns: ["x", "y"], values: moons, source: "built-in (miri demo)"),
                BenchTable(name: "copula", columns: SyntheticTables.copulaColumns, values: copula, source: "built-in (miri demo)")]
    }

    /// Issue 22's wide, redundant table: 2,000 rows × 128 sensors, smooth functions of 4 hidden
    /// factors plus 1 % noise (`SyntheticTables.sensorArray`), from its own seeded stream.
    static func sensorArray() -> BenchTable {
        var random = RandomSource(seed: 0x5E45_0A22)
        let values = SyntheticTables.sensorArray(rows: 2000, random: &random)
        return BenchTable(name: "sensor-array", columns: (1...values.cols).map { "s\($0)" }, values: values, source: "built-in (issue 22)")
    }

    /// 400 rows of 5 equicorrelated Gaussians (pairwise correlation 0.8) on different scales:
    /// strong linear dependence, so kNN and MIRI have something to learn.
    static func correlatedGaussian(rows n: Int = 400) -> BenchTable {
        let d = 5, rho = 0.8
        var random = RandomSource(seed: 20_251_125)
        var m = Matrix(rows: n, cols: d)
        for i in 0..<n {
            let shared = random.normal()
            for j in 0..<d {
                let z = rho.squareRoot() * shared + (1 - rho).squareRoot() * random.normal()
                m[i, j] = Float(Double(j + 1) * z + Double(10 * j))
            }
        }
        return BenchTable(name: "synthetic-gaussian", columns: (1...d).map { "g\($0)" }, values: m, source: "built-in")
    }

    /// 500 rows of 4 nonlinearly linked columns: s ~ U(−2, 2), s² + noise, sin(2s) + noise, and a
    /// lognormal that depends on s (a skewed marginal that N(0, 1) noise does not match).
    static func nonlinear(rows n: Int = 500) -> BenchTable {
        var random = RandomSource(seed: 20_251_126)
        var m = Matrix(rows: n, cols: 4)
        for i in 0..<n {
            let s = -2 + 4 * random.uniform()
            m[i, 0] = Float(s)
            m[i, 1] = Float(s * s + 0.2 * random.normal())
            m[i, 2] = Float(sin(2 * s) + 0.1 * random.normal())
            m[i, 3] = Float(exp(0.5 * s + 0.3 * random.normal()))
        }
        return BenchTable(name: "synthetic-nonlinear", columns: ["s", "square", "sine", "lognormal"], values: m,
                          source: "built-in")
    }
}

/// A benchmark run's fatal problem (bad option, missing file): printed as one line, exit status 1.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
