import Imputation
import Foundation
import Linalg

/// The benchmark's quality measures (BENCHMARK.md, "Metrics"), computed in Double.
///
/// Every table is n × d and NaN-free. Which entries were missing comes as `observed`, the
/// 1-observed / 0-missing matrix of `MissingPattern.observed` and `MCARMask.mask`: the entry-wise
/// metrics (RMSE, MAE, bias, CRPS, coverage) run over the entries where `observed` is 0 and require at
/// least one. MMD and W1 compare whole tables.
public enum Metrics {
    /// Root mean squared error over the missing entries: √(mean (imputed − truth)²).
    public static func rmse(imputed: Matrix, truth: Matrix, observed: Matrix) -> Double {
        (meanOverMissing(imputed, truth, observed) { $0 * $0 }).squareRoot()
    }

    /// Mean absolute error over the missing entries: mean |imputed − truth|.
    public static func mae(imputed: Matrix, truth: Matrix, observed: Matrix) -> Double {
        meanOverMissing(imputed, truth, observed) { abs($0) }
    }

    /// Mean signed error over the missing entries: mean (imputed − truth). Under MNAR the hidden
    /// values differ systematically from the observed ones (self-masking hides the large values),
    /// and an imputer that ignores the mask misses them in one direction: this shows it, where
    /// RMSE mixes it with the spread.
    public static func bias(imputed: Matrix, truth: Matrix, observed: Matrix) -> Double {
        meanOverMissing(imputed, truth, observed) { $0 }
    }

    /// Mean over the d columns of the 1-D Wasserstein-1 distance between the imputed and the true
    /// column, over all n rows: sort both columns, mean absolute difference of the sorted values
    /// (the W1 between two equal-size empirical distributions).
    public static func wasserstein1(imputed: Matrix, truth: Matrix) -> Double {
        checkShapes(imputed, truth)
        precondition(imputed.rows > 0 && imputed.cols > 0, "W1 of an empty table")
        var total = 0.0
        for j in 0..<imputed.cols {
            let a = imputed.column(j).sorted(), b = truth.column(j).sorted()
            var sum = 0.0
            for i in 0..<a.count { sum += abs(Double(a[i]) - Double(b[i])) }
            total += sum / Double(a.count)
        }
        return total / Double(imputed.cols)
    }

    /// Continuous ranked probability score of m draws per missing entry, averaged over the
    /// missing entries (x the truth, y₁…yₘ the draws of that entry):
    ///
    ///     CRPS = (1/m) Σₖ |yₖ − x| − (1/(2m²)) Σₖ,ₗ |yₖ − yₗ|
    ///
    /// The double sum is computed from the sorted draws as 2 Σₖ (2k − m + 1)·y₍ₖ₎ (k from 0).
    /// With identical draws (a point imputer) the second term is 0 and CRPS equals MAE.
    public static func crps(draws: [Matrix], truth: Matrix, observed: Matrix) -> Double {
        var sorted = [Double](repeating: 0, count: draws.count)
        return meanOverDrawnEntries(draws, truth, observed, scratch: &sorted) { y, x in
            let m = Double(y.count)
            var spread = 0.0, error = 0.0
            for (k, v) in y.enumerated() {
                error += abs(v - x)
                spread += Double(2 * k - y.count + 1) * v
            }
            return error / m - spread / (m * m)
        }
    }

    /// Share of the missing entries whose true value lies in [q₀.₀₅, q₀.₉₅] of its draws
    /// (ideal: 0.9 for a calibrated sampler).
    ///
    /// Empirical quantile: linear interpolation between order statistics (Hyndman–Fan type 7,
    /// numpy's default): h = (m − 1)·p, q(p) = y₍⌊h⌋₎ + (h − ⌊h⌋)·(y₍⌊h⌋+1₎ − y₍⌊h⌋₎), y sorted
    /// ascending from index 0. The interval is closed.
    public static func coverage90(draws: [Matrix], truth: Matrix, observed: Matrix) -> Double {
        var sorted = [Double](repeating: 0, count: draws.count)
        return meanOverDrawnEntries(draws, truth, observed, scratch: &sorted) { y, x in
            quantile(sorted: y, 0.05) <= x && x <= quantile(sorted: y, 0.95) ? 1 : 0
        }
    }

    /// Type-7 empirical quantile of ascending `y` (see `coverage90`).
    package static func quantile(sorted y: [Double], _ p: Double) -> Double {
        precondition(!y.isEmpty && p >= 0 && p <= 1)
        let h = Double(y.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, y.count - 1)
        return y[lo] + (h - Double(lo)) * (y[hi] - y[lo])
    }

    // MARK: - Shared loops

    static func checkShapes(_ a: Matrix, _ b: Matrix, file: StaticString = #file, line: UInt = #line) {
        precondition(a.rows == b.rows && a.cols == b.cols,
                     "shapes differ: \(a.rows)×\(a.cols) vs \(b.rows)×\(b.cols)", file: file, line: line)
    }

    /// Mean of `f(imputed − truth)` over the entries where `observed` is 0.
    private static func meanOverMissing(_ imputed: Matrix, _ truth: Matrix, _ observed: Matrix,
                                        _ f: (Double) -> Double) -> Double {
        checkShapes(imputed, truth)
        checkShapes(observed, truth)
        var sum = 0.0, count = 0
        for k in 0..<truth.count where observed.storage[k] == 0 {
            sum += f(Double(imputed.storage[k]) - Double(truth.storage[k]))
            count += 1
        }
        precondition(count > 0, "no missing entry to score")
        return sum / Double(count)
    }

    /// Mean over the missing entries of `score(sorted draws of the entry, truth)`.
    private static func meanOverDrawnEntries(_ draws: [Matrix], _ truth: Matrix, _ observed: Matrix,
                                             scratch y: inout [Double],
                                             _ score: ([Double], Double) -> Double) -> Double {
        precondition(!draws.isEmpty, "no draws")
        for draw in draws { checkShapes(draw, truth) }
        checkShapes(observed, truth)
        var sum = 0.0, count = 0
        for k in 0..<truth.count where observed.storage[k] == 0 {
            for (t, draw) in draws.enumerated() { y[t] = Double(draw.storage[k]) }
            y.sort()
            sum += score(y, Double(truth.storage[k]))
            count += 1
        }
        precondition(count > 0, "no missing entry to score")
        return sum / Double(count)
    }
}
