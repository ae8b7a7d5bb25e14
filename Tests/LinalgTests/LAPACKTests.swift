import Foundation
import Testing
@testable import Linalg

@Suite("LAPACKE wrappers (Double): symmetric eigen, Cholesky, Gram")
struct LAPACKTests {
    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("Eigenvalues of the 3×3 second-difference matrix are 2 − √2, 2, 2 + √2, ascending")
    func eigenvaluesKnown() throws {
        // tridiag(−1, 2, −1) of size 3: eigenvalues 2 − 2·cos(kπ/4), k = 1, 2, 3.
        let a: [Double] = [2, -1, 0, -1, 2, -1, 0, -1, 2]
        let e = try #require(SymmetricEigen(symmetric: a, n: 3))
        #expect(Self.close(e.values, [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]))
        // Each column k of the vectors satisfies A·q = λ·q and has unit length.
        for k in 0..<3 {
            let q = (0..<3).map { e.vectors[$0 * 3 + k] }
            let aq = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * q[$1] } }
            #expect(Self.close(aq, q.map { $0 * e.values[k] }))
            #expect(abs(q.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        }
        // The middle eigenvector is ±(1, 0, −1)/√2: a check on which entries hold which column.
        let middle = (0..<3).map { e.vectors[$0 * 3 + 1] }
        let s = middle[0] > 0 ? 1.0 : -1.0
        #expect(Self.close(middle.map { $0 * s }, [1 / 2.0.squareRoot(), 0, -1 / 2.0.squareRoot()]))
    }

    @Test("Basis changes round-trip, and Qᵀx of an eigenvector is a unit coordinate")
    func basisChanges() throws {
        let a: [Double] = [2, 1, 1, 2]                     // eigenvalues 1 (q = (1, −1)/√2) and 3 (q = (1, 1)/√2)
        let e = try #require(SymmetricEigen(symmetric: a, n: 2))
        #expect(Self.close(e.values, [1, 3]))
        let x: [Double] = [0.3, -1.7]
        #expect(Self.close(e.fromEigenbasis(e.toEigenbasis(x)), x))
        let top = e.toEigenbasis([1 / 2.0.squareRoot(), 1 / 2.0.squareRoot()])
        #expect(abs(top[0]) < 1e-12 && abs(abs(top[1]) - 1) < 1e-12)
    }

    @Test("Non-finite input gives nil, not a trap")
    func eigenRejectsNaN() {
        #expect(SymmetricEigen(symmetric: [1, .nan, .nan, 1], n: 2) == nil)
        #expect(Cholesky(factoring: [1, 0, .infinity, 1], n: 2) == nil)
    }

    @Test("Cholesky of [[4, 2], [2, 3]]: L = [[2, 0], [1, √2]], solve and inverse by hand")
    func choleskyHandWorked() throws {
        let c = try #require(Cholesky(factoring: [4, 2, 2, 3], n: 2))
        #expect(Self.close(c.lower, [2, 0, 1, 2.0.squareRoot()]))
        // 4x + 2y = 6, 2x + 3y = 5  →  x = y = 1.
        #expect(Self.close(c.solve([6, 5]), [1, 1]))
        // The inverse is [[3, −2], [−2, 4]] / det 8.
        #expect(Self.close(c.inverse(), [0.375, -0.25, -0.25, 0.5]))
    }

    @Test("Cholesky refuses an indefinite and a singular matrix with nil")
    func choleskyFailure() {
        #expect(Cholesky(factoring: [1, 2, 2, 1], n: 2) == nil)      // eigenvalues 3 and −1
        #expect(Cholesky(factoring: [1, 1, 1, 1], n: 2) == nil)      // rank 1: second pivot 0
    }

    @Test("dsyrk's Gram equals the naive AᵀA, both triangles; no rows gives zeros")
    func gram() {
        var random = RandomSource(seed: 3)
        let rows = 37, cols = 5
        let a = (0..<(rows * cols)).map { _ in random.normal() * 10 }
        let g = a.withUnsafeBufferPointer { DoubleBLAS.gram($0, rows: rows, cols: cols) }
        #expect(Self.close(g, DoubleBLAS.naiveGram(a, rows: rows, cols: cols), 1e-9))
        #expect(g[1 * cols + 4] == g[4 * cols + 1])
        let empty = [Double]().withUnsafeBufferPointer { DoubleBLAS.gram($0, rows: 0, cols: 3) }
        #expect(empty == [Double](repeating: 0, count: 9))
    }
}
