import Imputation
import Foundation

/// Double arithmetic in the order numpy performs it, so the MAR and MNAR masks agree with
/// `../shared/reference/masks.py` bit for bit, not only to rounding.
///
/// Why the order matters: an entry is missing when u < σ(s + b). A last-bit change in a
/// score, a std or the intercept b flips the entries whose u lies that close to their
/// probability — rare, but one flip changes the mask's digest. So sums are added as numpy adds:
/// - a column reduction of a 2-D array (`X.mean(axis=0)`, `X.std(axis=0)`) adds the rows one
///   after another, starting from 0;
/// - the reduction of a 1-D array (`s.std()`, `σ(s + b).mean()`) is numpy's pairwise sum
///   (`pairwiseSum`).
///
/// What is not matched: numpy's own SIMD `exp` (it may differ from libm's in the last bit) and
/// the order in which BLAS adds the MAR scores' dot products. Both move a probability by about
/// an ulp, so an entry flips only if its uniform lies within an ulp of it (chance ~1e-16 each).
enum ReferenceArithmetic {
    /// numpy's `pairwise_sum` for float64: below 8 values a plain loop; up to 128 values eight
    /// running sums over strides of 8, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the
    /// remainder; above 128 the two halves (the first a multiple of 8 long) summed recursively.
    static func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            var sum = 0.0
            for x in a { sum += x }
            return sum
        }
        if n <= 128 {
            var r = (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
            var i = 8
            while i < n - n % 8 {
                r.0 += a[i]; r.1 += a[i + 1]; r.2 += a[i + 2]; r.3 += a[i + 3]
                r.4 += a[i + 4]; r.5 += a[i + 5]; r.6 += a[i + 6]; r.7 += a[i + 7]
                i += 8
            }
            var sum = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n { sum += a[i]; i += 1 }
            return sum
        }
        let half = n / 2 - (n / 2) % 8
        return pairwiseSum(UnsafeBufferPointer(rebasing: a[..<half]))
            + pairwiseSum(UnsafeBufferPointer(rebasing: a[half...]))
    }

    /// `a.mean()` of a 1-D numpy array.
    static func mean(_ a: [Double]) -> Double {
        a.withUnsafeBufferPointer(pairwiseSum) / Double(a.count)
    }

    /// `a.std()` of a 1-D numpy array: population std, sum of squared deviations from the mean.
    static func populationStd(_ a: [Double]) -> Double {
        let m = mean(a)
        return mean(a.map { ($0 - m) * ($0 - m) }).squareRoot()
    }

    /// The protocol's standardization of a row-major `rows × cols` table as masks.py's `load`
    /// computes it: `(X − X.mean(axis=0)) / X.std(axis=0)`, a std of 0 replaced by 1.
    static func standardizedColumns(_ x: [Double], rows: Int, cols: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: cols)
        for i in 0..<rows { for j in 0..<cols { sum[j] += x[i * cols + j] } }
        let mean = sum.map { $0 / Double(rows) }
        var squares = [Double](repeating: 0, count: cols)
        for i in 0..<rows {
            for j in 0..<cols { let e = x[i * cols + j] - mean[j]; squares[j] += e * e }
        }
        let std = squares.map { s -> Double in let sd = (s / Double(rows)).squareRoot(); return sd == 0 ? 1 : sd }
        var z = x
        for i in 0..<rows { for j in 0..<cols { z[i * cols + j] = (x[i * cols + j] - mean[j]) / std[j] } }
        return z
    }

    /// σ(z) = 1 / (1 + e^(−z)).
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// The intercept b with mean σ(sᵢ + b) = p: bisection on [−50, 50], 64 halvings of
    /// "mean σ(s + mid) < p → lo = mid, else hi = mid", then the midpoint (BENCHMARK.md).
    static func intercept(_ scores: [Double], rate p: Double) -> Double {
        var lo = -50.0, hi = 50.0
        var probabilities = scores
        for _ in 0..<64 {
            let mid = 0.5 * (lo + hi)
            for i in scores.indices { probabilities[i] = sigmoid(scores[i] + mid) }
            if mean(probabilities) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
