import Foundation
import Evaluation
import Imputation
import Linalg
import Testing

@Suite("Nearest-neighbour ratio (nn_ratio)")
struct NearestNeighbourRatioTests {
    // Six rows, two columns. Complete rows (the reference points): r0 = (0, 0) and r4 = (10, 0).
    // Scored rows (something missing): r1, r2, r3 and r5, the table's last row.
    //
    //        truth     missing   imputed    to r0 / to r4 (truth)   to r0 / to r4 (imputed)
    //   r0   (0, 0)    –         (0, 0)
    //   r1   (1, 0)    col 1     (1, 2)     1 / 9        → t = 1    √5 / √85    → a = √5
    //   r2   (0, 0)    col 0     (3, 0)     0 / 10       → t = 0    3 / 7       → a = 3
    //   r3   (7, 0)    col 1     (7, 4)     7 / 3        → t = 3    √65 / 5     → a = 5
    //   r4   (10, 0)   –         (10, 0)
    //   r5   (4, 0)    both      (9, 0)     4 / 6        → t = 4    9 / 1       → a = 1
    //
    // t sorted 0, 1, 3, 4 → median (1 + 3)/2 = 2;  a sorted 1, √5, 3, 5 → median (√5 + 3)/2 = 2.6180340;
    // ratio = 1.3090170.
    // What a slip would give instead:
    // - r2's truth equals r0; excluding a row by *value* (distance 0) gives t₂ = 10: median 3.5, ratio 0.748;
    // - scored rows as reference points too: r2's imputed (3, 0) is 2 from r1's truth: a median 2.118, ratio 1.059;
    // - excluding reference c when c equals the row's position in its block skips r0 for r1: t₁ = 9, a₁ = √85;
    // - dropping the last scored row r5: a median 3, t median 1, ratio 3; dropping the last reference r4:
    //   t₃ = 7, a₃ = √65;
    // - upper or lower middle for the even count: ratio 1 or √5; true/imputed: 0.764.
    static let truth = Matrix([[0, 0], [1, 0], [0, 0], [7, 0], [10, 0], [4, 0]])
    static let imputed = Matrix([[0, 0], [1, 2], [3, 0], [7, 4], [10, 0], [9, 0]])
    static let observed = Matrix([[1, 1], [1, 0], [0, 1], [1, 0], [1, 1], [0, 0]])

    @Test("Hand-worked: medians 2.618 / 2, ratio 1.309, whatever the block size")
    func handWorked() throws {
        let expectedImputed = (5.0.squareRoot() + 3) / 2
        for block in [nil, 1, 2, 3, 4, 100] as [Int?] {
            let r = Metrics.nearestNeighbourRatio(imputed: Self.imputed, truth: Self.truth, observed: Self.observed,
                                                  rowsPerBlock: block)
            #expect(r.completeRows == 2 && r.scoredRows == 4)
            #expect(abs(r.trueMedian - 2) < 1e-12, "block \(String(describing: block))")
            #expect(abs(r.imputedMedian - expectedImputed) < 1e-12, "block \(String(describing: block))")
            let ratio = try #require(r.ratio)
            #expect(abs(ratio - expectedImputed / 2) < 1e-12)
            #expect(abs(ratio - 1.3090170) < 1e-7)
        }
    }

    @Test("The truth itself scores 1; no complete row gives no ratio")
    func edges() {
        let same = Metrics.nearestNeighbourRatio(imputed: Self.truth, truth: Self.truth, observed: Self.observed)
        #expect(same.ratio == 1)
        var everyRowMissing = Self.observed
        everyRowMissing[0, 0] = 0
        everyRowMissing[4, 1] = 0
        let none = Metrics.nearestNeighbourRatio(imputed: Self.imputed, truth: Self.truth, observed: everyRowMissing)
        #expect(none.ratio == nil && none.completeRows == 0 && none.scoredRows == 6)
        #expect(none.imputedMedian.isNaN)
        // Every scored row's truth sits on a complete row: the true median is 0, so no ratio.
        let onTop = Matrix([[0, 0], [0, 0], [1, 1], [1, 1]])
        let zero = Metrics.nearestNeighbourRatio(imputed: onTop, truth: onTop, observed: Matrix([[1, 1], [0, 1], [1, 1], [1, 0]]))
        #expect(zero.ratio == nil && zero.trueMedian == 0)
    }

    @Test("Equals a naive Double computation on random tables, blocked or not")
    func matchesNaive() throws {
        var random = RandomSource(seed: 21)
        for (n, d) in [(30, 3), (200, 5), (101, 2)] {
            var truth = Matrix(rows: n, cols: d), imputed = Matrix(rows: n, cols: d)
            for k in 0..<truth.count {
                truth.storage[k] = Float(random.normal())
                imputed.storage[k] = truth.storage[k]
            }
            let observed = MCARMask.mask(rows: n, cols: d, rate: 0.25, seed: UInt64(n))
            for k in 0..<truth.count where observed.storage[k] == 0 { imputed.storage[k] = Float(random.normal()) }

            let complete = (0..<n).filter { i in (0..<d).allSatisfy { observed[i, $0] == 1 } }
            let scored = (0..<n).filter { !complete.contains($0) }
            func nearest(_ table: Matrix, _ i: Int) -> Double {
                complete.filter { $0 != i }.map { c in
                    (0..<d).map { j in pow(Double(table[i, j]) - Double(truth[c, j]), 2) }.reduce(0, +).squareRoot()
                }.min()!
            }
            func median(_ v: [Double]) -> Double {
                let s = v.sorted()
                return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
            }
            let expected = median(scored.map { nearest(imputed, $0) }) / median(scored.map { nearest(truth, $0) })
            for block in [nil, 7] as [Int?] {
                let got = try #require(Metrics.nearestNeighbourRatio(imputed: imputed, truth: truth, observed: observed,
                                                                     rowsPerBlock: block).ratio)
                #expect(abs(got - expected) < 1e-9 * expected, "n \(n), block \(String(describing: block))")
            }
        }
    }
}
