import Testing
@testable import Linalg

@Suite("gemm against a naive triple loop")
struct GEMMTests {
    static func randomMatrix(_ rows: Int, _ cols: Int, _ random: inout RandomSource) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in random.uniformFloat(in: -1, 1) })
    }

    @Test("every transpose case, non-square shapes", arguments: [
        (Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed),
    ])
    func transposeCases(transA: Transpose, transB: Transpose) {
        var random = RandomSource(seed: 7)
        let (m, n, k) = (13, 7, 29)
        let a = transA == .none ? Self.randomMatrix(m, k, &random) : Self.randomMatrix(k, m, &random)
        let b = transB == .none ? Self.randomMatrix(k, n, &random) : Self.randomMatrix(n, k, &random)
        let fast = Matrix.product(a, transA, b, transB, alpha: 0.5)
        let slow = Matrix.naiveProduct(a, transA, b, transB, alpha: 0.5)
        #expect(fast.rows == m && fast.cols == n)
        for idx in 0..<fast.count {
            #expect(abs(fast.storage[idx] - slow.storage[idx]) < 1e-5, "entry \(idx)")
        }
    }

    @Test("beta accumulates into C and leading dimensions address sub-blocks")
    func betaAndStrides() {
        var random = RandomSource(seed: 3)
        // A is the left 4 columns of a 5×6 buffer (lda 6); C is 5×3 inside a 5×4 buffer (ldc 4).
        let aFull = Self.randomMatrix(5, 6, &random), b = Self.randomMatrix(4, 3, &random)
        var cFull = Self.randomMatrix(5, 4, &random)
        let before = cFull
        aFull.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                cFull.storage.withUnsafeMutableBufferPointer { pc in
                    gemm(.none, .none, m: 5, n: 3, k: 4, alpha: 2, a: pa.baseAddress!, lda: 6,
                         b: pb.baseAddress!, ldb: 3, beta: 1, c: pc.baseAddress!, ldc: 4)
                }
            }
        }
        for i in 0..<5 {
            for j in 0..<3 {
                var s: Double = 0
                for p in 0..<4 { s += Double(aFull[i, p]) * Double(b[p, j]) }
                #expect(abs(Double(cFull[i, j]) - (2 * s + Double(before[i, j]))) < 1e-5)
            }
            #expect(cFull[i, 3] == before[i, 3], "column outside n untouched")
        }
    }

    @Test("a product split into column blocks over 3 workers: every transpose case, beta, padded strides", arguments: [
        (Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed),
    ])
    func columnBlocks(transA: Transpose, transB: Transpose) {
        // 2·m·n·k = 2·40·410·1000 = 32.8 MFLOP: above the split threshold; 410 columns in blocks of
        // 144, 144 and 122 (widths rounded to 16), so the last block is ragged.
        let (m, n, k) = (40, 410, 1000)
        #expect(GEMMThreading.columnBlocks(m: m, n: n, k: k, workers: 3) == 3)
        var random = RandomSource(seed: 11)
        let a = transA == .none ? Self.randomMatrix(m, k, &random) : Self.randomMatrix(k, m, &random)
        // B and C sit in wider buffers (ldb, ldc larger than the used width).
        let bRows = transB == .none ? k : n, bCols = transB == .none ? n : k
        let bFull = Self.randomMatrix(bRows, bCols + 3, &random)
        let b = Matrix(rows: bRows, cols: bCols, storage: (0..<(bRows * bCols)).map { bFull[$0 / bCols, $0 % bCols] })
        let c0 = Self.randomMatrix(m, n + 5, &random)
        var c = c0
        a.storage.withUnsafeBufferPointer { pa in
            bFull.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    sgemmCall(transA, transB, m, n, k, 0.5, pa.baseAddress!, a.cols, pb.baseAddress!, bFull.cols,
                              2, pc.baseAddress!, n + 5, context: ComputeContext(threads: 3))
                }
            }
        }
        let product = Matrix.naiveProduct(a, transA, b, transB, alpha: 0.5)
        for i in 0..<m {
            for j in 0..<n {
                #expect(abs(c[i, j] - (product[i, j] + 2 * c0[i, j])) < 1e-4, "C[\(i), \(j)]")
            }
            for j in n..<(n + 5) { #expect(c[i, j] == c0[i, j], "padding column \(j) of row \(i) untouched") }
        }
    }
}

