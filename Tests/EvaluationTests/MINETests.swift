import Linalg
import Testing
import Evaluation
import Imputation

/// The MINE estimator on tables whose mutual information with the mask is known.
@Suite(.serialized) struct MINETests {
    /// n rows, d columns; each mask entry Bernoulli(1/2); x = a·m + N(0, σ²) per entry (a = 0: independent).
    static func table(rows n: Int, columns d: Int, shift a: Double, noise sigma: Double, seed: UInt64) -> (x: Matrix, m: Matrix) {
        var random = RandomSource(seed: seed)
        var x = Matrix(rows: n, cols: d), m = Matrix(rows: n, cols: d)
        for k in 0..<(n * d) {
            let bit: Float = random.uniform() < 0.5 ? 1 : 0
            m.storage[k] = bit
            x.storage[k] = Float(a * Double(bit) + sigma * random.normal())
        }
        return (x, m)
    }

    /// x = m + N(0, 0.3²) per entry, 2 columns: the entries are independent pairs, so
    /// I(X; M) = 2·I(x; m) with I(x; m) = H(m) − H(m | x) = log 2 − E[h(P(m = 1 | x))]. The two
    /// components sit 1/0.3 ≈ 3.3σ apart, so the posterior is mostly certain: I(x; m) = 0.571 nats
    /// (numerical integration of the mixture), I = 1.142 nats. A lower bound from 300 steps should get most of it.
    @Test("x = m + noise: the held-out bound is clearly positive, near the true 1.14 nats and not above it")
    func dependentCase() {
        let (x, m) = Self.table(rows: 3000, columns: 2, shift: 1, noise: 0.3, seed: 11)
        let estimate = MINEEstimator().estimate(x: x, mask: m, seed: 1)
        #expect(estimate.mutualInformation > 0.8, "got \(estimate.mutualInformation)")
        #expect(estimate.mutualInformation < 1.142 + 0.1, "a lower bound (up to sampling noise): \(estimate.mutualInformation)")
        #expect(estimate.heldOutRows == 600 && estimate.trainRows == 2400)
    }

    @Test("x independent of m: the held-out bound is ≈ 0, and far below the dependent case")
    func independentCase() {
        let (x, m) = Self.table(rows: 3000, columns: 2, shift: 0, noise: 1, seed: 12)
        let independent = MINEEstimator().estimate(x: x, mask: m, seed: 1).mutualInformation
        #expect(abs(independent) < 0.05, "got \(independent)")
        let (xd, md) = Self.table(rows: 3000, columns: 2, shift: 0.5, noise: 1, seed: 12)
        let weak = MINEEstimator().estimate(x: xd, mask: md, seed: 1).mutualInformation
        // x = 0.5·m + N(0, 1): I = 0.0303 nats per column (numerical integration; ≈ Δ²/8 for a small shift Δ), 0.061 in all.
        #expect(weak > independent, "weak dependence \(weak) vs none \(independent)")
    }

    /// A small table invites overfitting: a critic trained to the end on 180 rows finds "dependence"
    /// in noise, and its held-out bound goes far below 0. Early stopping on the validation rows must
    /// keep the estimate near 0.
    @Test("Independent, only 300 rows: still ≈ 0 (early stopping), not a large negative number")
    func smallIndependentTable() {
        let (x, m) = Self.table(rows: 300, columns: 6, shift: 0, noise: 1, seed: 15)
        let estimate = MINEEstimator().estimate(x: x, mask: m, seed: 3)
        #expect(abs(estimate.mutualInformation) < 0.05, "got \(estimate)")
        #expect(estimate.heldOutRows == 60 && estimate.trainRows == 240)
    }

    @Test("Mean imputation's telltale (missing entries all at one value) is found at once")
    func meanImputationIsDetected() {
        var (x, m) = Self.table(rows: 1000, columns: 3, shift: 0, noise: 1, seed: 13)
        for k in 0..<x.count where m.storage[k] == 0 { x.storage[k] = 0 }
        let estimate = MINEEstimator().estimate(x: x, mask: m, seed: 2).mutualInformation
        #expect(estimate > 1, "got \(estimate)")
    }

    @Test("Same seed, same estimate")
    func deterministic() {
        let (x, m) = Self.table(rows: 500, columns: 3, shift: 1, noise: 0.5, seed: 14)
        var mine = MINEEstimator()
        mine.steps = 50
        #expect(mine.estimate(x: x, mask: m, seed: 5).mutualInformation == mine.estimate(x: x, mask: m, seed: 5).mutualInformation)
    }
}
