import Foundation
import Imputation
import Linalg

/// The simulation settings of `miri-bench inference` (BENCHMARK.md, "Inference from multiple
/// imputations"; van Buuren, *Flexible Imputation of Missing Data*, §2.5.2): a fresh table and
/// mask per simulation, a known truth, and the exact conditional law of the missing values.
///
/// - A: x ~ N(0,1), y = x + ε, 50 % of x MCAR. Columns (x, y). Estimands: slope of y on x (1), mean of x (0).
/// - S: A on a small table (100 rows, as in much clinical and survey work), where the fitted
///   model's own error is largest and a model that learns its rows too closely shows most.
/// - C: as A, x missing with probability logistic(a + y), a set for a 40 % rate (MAR).
/// - B: x ~ U(−2, 2), z = x² + 0.5ε, w = x + z + ε; 40 % of x and of z MCAR, w complete.
///   Columns (x, z, w). Estimands: mean of z (4/3), the coefficients of x and z in w ~ 1 + x + z (1, 1).
public enum InferenceSetting: String, CaseIterable, Sendable {
    case a = "A", c = "C", b = "B", s = "S"

    /// The rows of one simulated table (BENCHMARK.md): 500 for A and C, 1,000 for B, 100 for S.
    public var defaultRows: Int {
        switch self {
        case .a, .c: return 500
        case .b: return 1000
        case .s: return 100
        }
    }

    /// The table's column names.
    public var columnNames: [String] { self == .b ? ["x", "z", "w"] : ["x", "y"] }

    /// What each simulation estimates, in report order.
    public var estimands: [InferenceEstimand] {
        switch self {
        case .a, .c, .s:
            return [InferenceEstimand(name: "slope of y on x", estimand: .regression(response: 1, predictors: [0]), term: 1, closedForm: 1),
                    InferenceEstimand(name: "mean of x", estimand: .means([0]), term: 0, closedForm: 0)]
        case .b:
            return [InferenceEstimand(name: "mean of z", estimand: .means([1]), term: 0, closedForm: 4.0 / 3),
                    InferenceEstimand(name: "coefficient of x in w ~ x + z", estimand: .regression(response: 2, predictors: [0, 1]), term: 1, closedForm: 1),
                    InferenceEstimand(name: "coefficient of z in w ~ x + z", estimand: .regression(response: 2, predictors: [0, 1]), term: 2, closedForm: 1)]
        }
    }

    /// One complete row from `random`.
    func row(_ random: inout RandomSource) -> [Double] {
        switch self {
        case .a, .c, .s:
            let x = random.normal()
            return [x, x + random.normal()]
        case .b:
            let x = -2 + 4 * random.uniform()
            let z = x * x + 0.5 * random.normal()
            return [x, z, x + z + random.normal()]
        }
    }

    /// Whether each cell of `row` is missing.
    func mask(_ row: [Double], _ random: inout RandomSource) -> [Bool] {
        switch self {
        case .a, .s: return [random.uniform() < 0.5, false]
        case .c: return [random.uniform() < Self.logistic(Self.marIntercept + row[1]), false]
        case .b: return [random.uniform() < 0.4, random.uniform() < 0.4, false]
        }
    }

    /// A fresh simulated table: the complete values and the same with NaN at the masked cells.
    /// A table whose masked column kept fewer than 3 observed values is drawn again.
    public func simulate(rows n: Int, random: inout RandomSource) -> (complete: Matrix, masked: Matrix) {
        precondition(n >= 4, "a simulated table needs at least 4 rows")
        let d = columnNames.count
        while true {
            var complete = Matrix(rows: n, cols: d), masked = complete
            var observed = [Int](repeating: 0, count: d)
            for i in 0..<n {
                let values = row(&random), missing = mask(values, &random)
                for j in 0..<d {
                    complete[i, j] = Float(values[j])
                    masked[i, j] = missing[j] ? .nan : Float(values[j])
                    if !missing[j] { observed[j] += 1 }
                }
            }
            if observed.allSatisfy({ $0 >= 3 }) { return (complete, masked) }
        }
    }

    static func logistic(_ t: Double) -> Double { 1 / (1 + exp(-t)) }

    /// a with E[logistic(a + y)] = 0.4 for y ~ N(0, 2): bisection on a quadrature over 4,001
    /// points of y in ±10 standard deviations.
    public static let marIntercept: Double = {
        func rate(_ a: Double) -> Double {
            var s = 0.0, w = 0.0
            for k in -2000...2000 {
                let z = Double(k) / 200, density = exp(-0.5 * z * z)
                s += density * logistic(a + 2.0.squareRoot() * z)
                w += density
            }
            return s / w
        }
        var low = -5.0, high = 5.0
        for _ in 0..<100 { let mid = (low + high) / 2; if rate(mid) < 0.4 { low = mid } else { high = mid } }
        return (low + high) / 2
    }()

    /// The estimands' truths from one sample of `size` rows (the 10⁷), accumulated in
    /// Double without storing the rows: the mean, or the regression by its normal equations.
    public func truths(sampleSize size: Int = 10_000_000, seed: UInt64 = 20_261_206) -> [Double] {
        var random = RandomSource(seed: seed)
        let d = columnNames.count
        var sums = [Double](repeating: 0, count: d), cross = [Double](repeating: 0, count: d * d)
        for _ in 0..<size {
            let r = row(&random)
            for a in 0..<d {
                sums[a] += r[a]
                for b in a..<d { cross[a * d + b] += r[a] * r[b] }
            }
        }
        let n = Double(size)
        let mean = sums.map { $0 / n }
        func cov(_ a: Int, _ b: Int) -> Double { cross[min(a, b) * d + max(a, b)] / n - mean[a] * mean[b] }
        switch self {
        case .a, .c, .s:
            return [cov(0, 1) / cov(0, 0), mean[0]]
        case .b:
            // w ~ x + z: the slopes solve the 2×2 covariance system.
            let sxx = cov(0, 0), szz = cov(1, 1), sxz = cov(0, 1), sxw = cov(0, 2), szw = cov(1, 2)
            let det = sxx * szz - sxz * sxz
            return [mean[1], (szz * sxw - sxz * szw) / det, (sxx * szw - sxz * sxw) / det]
        }
    }
}

/// One estimand of a setting: its name, what to compute per completed table, which term of the
/// analysis it is, and its closed-form truth (the report's truth is a large sample's).
public struct InferenceEstimand: Sendable {
    public var name: String
    public var estimand: Estimand
    public var term: Int
    public var closedForm: Double
}
