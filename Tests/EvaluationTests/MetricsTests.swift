import Foundation
import Evaluation
import Imputation
import Linalg
import Testing

@Suite("Benchmark metrics")
struct MetricsTests {
    // truth, imputed and mask shared by the entry-wise tests. Missing: (0, 1) and (1, 0).
    let truth = Matrix([[1, 2], [3, 4]])
    let imputed = Matrix([[1, 4], [0, 100]])      // (1, 1) is observed: its 100 must not count
    let observed = Matrix([[1, 0], [0, 1]])

    @Test("RMSE and MAE run over the missing entries only")
    func rmseMae() {
        // Errors on the missing entries: 4 − 2 = 2 and 0 − 3 = −3.
        // RMSE = √((4 + 9) / 2) = √6.5 = 2.5495098;  MAE = (2 + 3) / 2 = 2.5.
        #expect(abs(Metrics.rmse(imputed: imputed, truth: truth, observed: observed) - 6.5.squareRoot()) < 1e-12)
        #expect(abs(Metrics.mae(imputed: imputed, truth: truth, observed: observed) - 2.5) < 1e-12)
    }

    @Test("Bias is the signed mean error over the missing entries only")
    func bias() {
        // Errors on the missing entries: 4 − 2 = +2 and 0 − 3 = −3 → bias = (2 − 3) / 2 = −0.5.
        // (Counting the observed (1, 1) entry, 100 − 4 = 96, would give (2 − 3 + 96) / 3 = 31.67;
        // absolute errors would give MAE's 2.5.)
        #expect(abs(Metrics.bias(imputed: imputed, truth: truth, observed: observed) - -0.5) < 1e-12)
    }

    @Test("W1 sorts each column, then averages the absolute differences, then the columns")
    func wasserstein() {
        // Column 0: sorted imputed [1, 2, 3] vs sorted truth [1, 3, 5] → (0 + 1 + 2) / 3 = 1.
        // Column 1: [0, 0, 0] vs [0, 0, 6] → (0 + 0 + 6) / 3 = 2.   Mean over columns: 1.5.
        // (Unsorted, column 0 would give (2 + 4 + 1) / 3 = 2.33.)
        let a = Matrix([[3, 0], [1, 0], [2, 0]])
        let b = Matrix([[1, 0], [5, 0], [3, 6]])
        #expect(abs(Metrics.wasserstein1(imputed: a, truth: b) - 1.5) < 1e-12)
    }

    @Test("MMD on 2 rows × 1 column, by hand")
    func mmdByHand() {
        // X = imputed = [0, 1], Y = truth = [0, 3].
        // Cross distances |x − y|: 0, 3, 1, 2 → sorted 0, 1, 2, 3 → median (1 + 2) / 2 = σ = 1.5,
        // so 2σ² = 4.5 (median of the *squared* distances would give √2.5 = 1.58 instead).
        // Kxx: d² = 0, 1, 1, 0   → (2 + 2e^(−1/4.5)) / 4
        // Kyy: d² = 0, 9, 9, 0   → (2 + 2e^(−2)) / 4
        // Kxy: d² = 0, 9, 1, 4   → (1 + e^(−2) + e^(−1/4.5) + e^(−4/4.5)) / 4
        // MMD = (2 − 2e^(−8/9)) / 4 = (1 − e^(−8/9)) / 2 = 0.29444385
        let x = Matrix([[0], [1]]), y = Matrix([[0], [3]])
        let expected = (1 - exp(-8.0 / 9)) / 2
        #expect(abs(Metrics.mmd(imputed: x, truth: y) - expected) < 1e-6)
        #expect(abs(expected - 0.29444385) < 1e-8)
    }

    @Test("MMD uses only the first maxRows rows, and is 0 for identical tables")
    func mmdRows() {
        let x = Matrix([[0, 1], [1, 0], [50, 50]]), y = Matrix([[0, 1], [2, 2], [-50, 9]])
        let full = Metrics.mmd(imputed: x, truth: y)
        let firstTwo = Metrics.mmd(imputed: x.rows(0..<2), truth: y.rows(0..<2))
        #expect(abs(Metrics.mmd(imputed: x, truth: y, maxRows: 2) - firstTwo) < 1e-12)
        #expect(abs(full - firstTwo) > 1e-3)
        #expect(abs(Metrics.mmd(imputed: x, truth: x)) < 1e-6)
    }

    @Test("MMD equals a naive Double implementation with a sorted median (odd and even pair counts)")
    func mmdMatchesNaive() {
        var random = RandomSource(seed: 4)
        for rows in [1, 7, 40] {
            // Values on a coarse grid, so many pair distances repeat (the selection's hard case).
            func table() -> Matrix {
                Matrix(rows: rows, cols: 2, storage: (0..<(2 * rows)).map { _ in Float(random.index(below: 7)) * 0.5 })
            }
            let x = table(), y = table()
            #expect(abs(Metrics.mmd(imputed: x, truth: y) - naiveMMD(x, y)) < 1e-5)
        }
    }

    /// BENCHMARK.md's MMD written plainly: all distances in Double, median by sorting.
    private func naiveMMD(_ x: Matrix, _ y: Matrix) -> Double {
        func d2(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
            (0..<a.cols).reduce(0.0) { s, p in s + pow(Double(a[i, p]) - Double(b[j, p]), 2) }
        }
        let n = x.rows
        let cross = (0..<n).flatMap { i in (0..<n).map { j in d2(x, i, y, j).squareRoot() } }.sorted()
        var sigma = cross.count % 2 == 1 ? cross[cross.count / 2] : (cross[cross.count / 2 - 1] + cross[cross.count / 2]) / 2
        if sigma == 0 { sigma = 1 }
        func meanK(_ a: Matrix, _ b: Matrix) -> Double {
            var s = 0.0
            for i in 0..<n { for j in 0..<n { s += exp(-d2(a, i, b, j) / (2 * sigma * sigma)) } }
            return s / Double(n * n)
        }
        return meanK(x, x) + meanK(y, y) - 2 * meanK(x, y)
    }

    @Test("CRPS of one entry by hand, and CRPS of identical draws equals MAE")
    func crps() {
        // One missing entry, truth 1, draws {0, 2}:
        // (|0 − 1| + |2 − 1|) / 2 − (|0−0| + |0−2| + |2−0| + |2−2|) / (2·2²) = 1 − 4/8 = 0.5
        let truth = Matrix([[1, 7]]), mask = Matrix([[0, 1]])
        let draws = [Matrix([[0, 7]]), Matrix([[2, 7]])]
        #expect(abs(Metrics.crps(draws: draws, truth: truth, observed: mask) - 0.5) < 1e-12)

        let same = Array(repeating: imputed, count: 10)
        let mae = Metrics.mae(imputed: imputed, truth: self.truth, observed: observed)
        #expect(abs(Metrics.crps(draws: same, truth: self.truth, observed: observed) - mae) < 1e-12)
    }

    @Test("Coverage of the type-7 5–95 % range, worked by hand")
    func coverage() {
        // Draws 0, 1, …, 10 (m = 11) for each of four missing entries.
        // q(0.05): h = 10·0.05 = 0.5 → 0 + 0.5·(1 − 0) = 0.5;  q(0.95): h = 9.5 → 9.5.
        // Truths 0.4 (below), 0.5 (on the edge: inside), 5 (inside), 9.6 (above) → 2 of 4 = 0.5.
        let truth = Matrix([[0.4, 0.5, 5, 9.6]])
        let mask = Matrix([[0, 0, 0, 0]])
        let draws = (0...10).map { Matrix(rows: 1, cols: 4, repeating: Float($0)) }
        #expect(abs(Metrics.coverage90(draws: draws, truth: truth, observed: mask) - 0.5) < 1e-12)
        // Observed entries are not scored: with entry 2 observed, 1 of 3 is inside.
        let partly = Matrix([[0, 0, 1, 0]])
        #expect(abs(Metrics.coverage90(draws: draws, truth: truth, observed: partly) - 1.0 / 3) < 1e-12)
    }

    @Test("Type-7 quantile interpolates between order statistics")
    func quantile() {
        let y = [1.0, 2, 4, 8]
        #expect(Metrics.quantile(sorted: y, 0) == 1)
        #expect(Metrics.quantile(sorted: y, 1) == 8)
        #expect(abs(Metrics.quantile(sorted: y, 0.5) - 3) < 1e-12)        // h = 1.5: 2 + 0.5·2
        #expect(abs(Metrics.quantile(sorted: y, 0.9) - 6.8) < 1e-12)      // h = 2.7: 4 + 0.7·4
    }
}
