import Foundation
import Linalg

/// Draws of a simulated table's missing values from their exact conditional law given the
/// observed ones: the reference for the per-cell coverage of `miri-bench inference`.
///
/// A and C: x | y ~ N(y/2, 1/2) (C's missingness depends on y alone, so the law is A's).
/// B, per row: z missing, x seen: z | x, w ~ N((4x² + w − x)/5, 1/5). x missing, z seen:
/// p(x | z, w) ∝ 1{|x| ≤ 2}·exp(−2(z − x²)² − (w − x − z)²/2). Both missing: x from
/// p(x | w) ∝ 1{|x| ≤ 2}·exp(−(w − x − x²)²/2.5), then z | x, w as above. The two densities of x
/// are drawn by inverting their distribution function on a grid of 4,000 cells over [−2, 2]
/// (uniform within the cell).
public enum ExactConditionalSampler {
    static let cells = 4000

    /// `masked` with every NaN replaced by a draw from its conditional law.
    public static func draw(_ masked: Matrix, setting: InferenceSetting, random: inout RandomSource) -> Matrix {
        var out = masked
        for i in 0..<masked.rows {
            switch setting {
            case .a, .c, .s:
                if masked[i, 0].isNaN { out[i, 0] = Float(Double(masked[i, 1]) / 2 + 0.5.squareRoot() * random.normal()) }
            case .b:
                let xMissing = masked[i, 0].isNaN, zMissing = masked[i, 1].isNaN, w = Double(masked[i, 2])
                var x = Double(masked[i, 0])
                if xMissing {
                    if zMissing {
                        x = grid(random: &random) { x in let e = w - x - x * x; return -e * e / 2.5 }
                    } else {
                        let z = Double(masked[i, 1])
                        x = grid(random: &random) { x in let a = z - x * x, b = w - x - z; return -2 * a * a - b * b / 2 }
                    }
                    out[i, 0] = Float(x)
                }
                if zMissing { out[i, 1] = Float((4 * x * x + w - x) / 5 + (0.2).squareRoot() * random.normal()) }
            }
        }
        return out
    }

    /// A draw of x ∈ [−2, 2] with log density `logDensity` (up to a constant).
    static func grid(random: inout RandomSource, _ logDensity: (Double) -> Double) -> Double {
        let width = 4.0 / Double(cells)
        var logs = [Double](repeating: 0, count: cells)
        for k in 0..<cells { logs[k] = logDensity(-2 + (Double(k) + 0.5) * width) }
        let top = logs.max() ?? 0
        var cumulative = [Double](repeating: 0, count: cells), total = 0.0
        for k in 0..<cells { total += exp(logs[k] - top); cumulative[k] = total }
        let u = random.uniform() * total
        var low = 0, high = cells - 1
        while low < high { let mid = (low + high) / 2; if cumulative[mid] < u { low = mid + 1 } else { high = mid } }
        return -2 + (Double(low) + random.uniform()) * width
    }
}
