import Imputation
import Foundation
import Linalg

extension Metrics {
    /// Maximum mean discrepancy between the imputed and the true table (BENCHMARK.md), on their
    /// first m = min(n, maxRows) rows, with X the imputed rows and Y the true rows:
    ///
    ///     k(a, b) = exp(−‖a − b‖² / (2σ²)),   σ = median of the m² distances ‖xᵢ − yⱼ‖,
    ///     MMD = mean(Kxx) + mean(Kyy) − 2·mean(Kxy)      (biased: diagonals included)
    ///
    /// The median of an even count is the mean of the two middle values (numpy's convention);
    /// it is found by selection, not sorting. If σ = 0 (most cross pairs coincide) σ = 1 is used.
    /// Squared distances are ‖a‖² + ‖b‖² − 2a·b with a·b from sgemm, clamped at 0.
    /// Cost: three m × m products and m² exponentials; memory two m × m Float matrices.
    public static func mmd(imputed: Matrix, truth: Matrix, maxRows: Int = 2000) -> Double {
        checkShapes(imputed, truth)
        precondition(maxRows >= 1 && imputed.rows > 0, "MMD needs at least one row")
        let m = min(imputed.rows, maxRows)
        let x = imputed.rows(0..<m), y = truth.rows(0..<m)

        var cross = squaredDistances(x, y)
        let sigma = medianDistance(cross.storage)
        let scale = sigma > 0 ? 1 / (2 * sigma * sigma) : 0.5
        let kxy = meanKernel(cross.storage, scale)
        cross = squaredDistances(x, x)
        let kxx = meanKernel(cross.storage, scale)
        cross = squaredDistances(y, y)
        let kyy = meanKernel(cross.storage, scale)
        return kxx + kyy - 2 * kxy
    }

    /// ‖aᵢ − bⱼ‖² for all row pairs (a.rows × b.rows), clamped at 0.
    static func squaredDistances(_ a: Matrix, _ b: Matrix) -> Matrix {
        let na = squaredNorms(a), nb = squaredNorms(b)
        var d2 = Matrix.product(a, .none, b, .transposed, alpha: -2)
        for i in 0..<a.rows {
            for j in 0..<b.rows {
                d2.storage[i * b.rows + j] = max(0, d2.storage[i * b.rows + j] + na[i] + nb[j])
            }
        }
        return d2
    }

    private static func squaredNorms(_ a: Matrix) -> [Float] {
        (0..<a.rows).map { i in
            var s = 0.0
            for j in 0..<a.cols { s += Double(a[i, j]) * Double(a[i, j]) }
            return Float(s)
        }
    }

    /// Mean of exp(−scale·v) over `squared`, accumulated in Double.
    private static func meanKernel(_ squared: [Float], _ scale: Double) -> Double {
        var sum = 0.0
        for v in squared { sum += exp(-scale * Double(v)) }
        return sum / Double(squared.count)
    }

    /// Median of the square roots of `squared` (a copy is partially reordered).
    static func medianDistance(_ squared: [Float]) -> Double {
        var values = squared
        let mid = values.count / 2
        let upper = Double(orderStatistic(&values, mid)).squareRoot()
        if values.count % 2 == 1 { return upper }
        // After selection everything before `mid` is ≤ the upper middle: the lower middle is their max.
        let lower = Double(values[0..<mid].max()!).squareRoot()
        return (lower + upper) / 2
    }

    /// The k-th smallest of `values` (0-based), by quickselect with a median-of-three pivot and a
    /// three-way partition (fast on repeated values). Afterwards values[..<k] ≤ values[k] ≤ values[(k+1)...].
    static func orderStatistic(_ values: inout [Float], _ k: Int) -> Float {
        precondition(k >= 0 && k < values.count)
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let a = values[lo], b = values[lo + (hi - lo) / 2], c = values[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                if values[i] < pivot {
                    values.swapAt(lt, i); lt += 1; i += 1
                } else if values[i] > pivot {
                    values.swapAt(i, gt); gt -= 1
                } else {
                    i += 1
                }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return pivot }
        }
        return values[k]
    }
}
