import Foundation
import Testing
import Linalg

/// Every vector path this machine runs (baseline always; AVX2, AVX-512 when the CPU has them).
let machinePaths = SIMDPath.supported(on: .current)

@Suite("SIMD kernels against scalar references")
struct KernelTests {
    @Test("vector exp has relative error below 3e-7 on [-80, 80]")
    func vectorExp() {
        var worst: Double = 0
        for i in 0..<20_000 {
            let base = -80 + Float(i) * 0.008
            let x = Kernels.Vector((0..<8).map { base + Float($0) * 0.001 })
            let y = Kernels.exp(x)
            for lane in 0..<8 {
                let exact = Foundation.exp(Double(x[lane]))
                worst = max(worst, abs(Double(y[lane]) - exact) / exact)
            }
        }
        #expect(worst < 3e-7)
    }

    @Test("vector square root is within 2 ulp from 1e-30 to 1e30, and 0 at 0")
    func vectorSquareRoot() {
        var worst: Double = 0
        var x: Float = 1e-30
        while x < 1e30 {
            let v = Kernels.Vector((0..<8).map { x * (1 + Float($0) * 0.13) })
            let r = Kernels.squareRoot(v)
            for lane in 0..<8 {
                let exact = Double(v[lane]).squareRoot()
                worst = max(worst, abs(Double(r[lane]) - exact) / exact)
            }
            x *= 1.7
        }
        #expect(worst < 2.4e-7)
        #expect(Kernels.squareRoot(Kernels.Vector(repeating: 0)) == Kernels.Vector(repeating: 0))
    }

    @Test("vector exp saturates instead of producing NaN")
    func expSaturates() {
        let y = Kernels.exp(Kernels.Vector(-1000, -100, 100, 1000, 0, 1, -1, 0.5))
        #expect(y[0] >= 0 && y[0] < 1e-37 && y[1] < 1e-37)
        #expect(y[2] > 1e38 && y[3].isFinite)
        #expect(abs(y[5] - Float(M_E)) < 1e-6)
    }

    @Test("bias + SiLU forward and the SiLU backward match the references, including ragged tails", arguments: machinePaths)
    func siluForwardBackward(path: SIMDPath) {
        var random = RandomSource(seed: 11)
        let rows = 5, cols = 19          // 19 = two vectors of 8 and a tail of 3 (one of 16 and 3)
        var z = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -12, 12) }
        let original = z
        let bias = (0..<cols).map { _ in random.uniformFloat(in: -1, 1) }
        var sigma = [Float](repeating: 0, count: rows * cols), h = sigma
        z.withUnsafeMutableBufferPointer { zp in
            sigma.withUnsafeMutableBufferPointer { sp in
                h.withUnsafeMutableBufferPointer { hp in
                    Kernels.biasSiLU(z: zp.baseAddress!, bias: bias, sigma: sp.baseAddress!, h: hp.baseAddress!, rows: rows, cols: cols, path: path)
                }
            }
        }
        var grad = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -1, 1) }
        let upstream = grad
        grad.withUnsafeMutableBufferPointer { gp in
            Kernels.siluBackward(gradient: gp.baseAddress!, sigma: sigma, h: h, count: rows * cols, path: path)
        }
        for k in 0..<(rows * cols) {
            let pre = original[k] + bias[k % cols]
            #expect(abs(z[k] - pre) <= 1e-6 * max(1, abs(pre)))
            #expect(abs(h[k] - ReferenceKernels.silu(pre)) <= 2e-6 * max(1, abs(pre)), "silu at \(pre)")
            #expect(abs(grad[k] - upstream[k] * ReferenceKernels.siluDerivative(pre)) <= 2e-6, "silu' at \(pre)")
        }
    }

    @Test("in-place bias + SiLU gives the same bits as the training kernel's h", arguments: machinePaths)
    func siluInPlace(path: SIMDPath) {
        var random = RandomSource(seed: 12)
        let rows = 7, cols = 19
        let original = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -30, 30) }
        let bias = (0..<cols).map { _ in random.uniformFloat(in: -1, 1) }
        var z = original, inPlace = original
        var sigma = [Float](repeating: 0, count: rows * cols), h = sigma
        z.withUnsafeMutableBufferPointer { zp in
            sigma.withUnsafeMutableBufferPointer { sp in
                h.withUnsafeMutableBufferPointer { hp in
                    Kernels.biasSiLU(z: zp.baseAddress!, bias: bias, sigma: sp.baseAddress!, h: hp.baseAddress!, rows: rows, cols: cols, path: path)
                }
            }
        }
        inPlace.withUnsafeMutableBufferPointer { Kernels.biasSiLUInPlace($0.baseAddress!, bias: bias, rows: rows, cols: cols, path: path) }
        #expect(inPlace.map(\.bitPattern) == h.map(\.bitPattern))
        #expect(inPlace != original)
    }

    @Test("column sums accumulate", arguments: machinePaths)
    func columnSums(path: SIMDPath) {
        let g: [Float] = [1, 2, 3, 10, 20, 30]     // 2 × 3
        var sums: [Float] = [100, 200, 300]
        sums.withUnsafeMutableBufferPointer { Kernels.accumulateColumnSums(g, rows: 2, cols: 3, into: $0.baseAddress!, path: path) }
        #expect(sums == [111, 222, 333])
        // 37 columns: full vectors of every width and a tail, summed row by row in order.
        var random = RandomSource(seed: 13)
        let rows = 6, cols = 37
        let wide = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -1, 1) }
        var got = [Float](repeating: 0.5, count: cols)
        got.withUnsafeMutableBufferPointer { Kernels.accumulateColumnSums(wide, rows: rows, cols: cols, into: $0.baseAddress!, path: path) }
        for j in 0..<cols {
            var expected: Float = 0.5
            for i in 0..<rows { expected += wide[i * cols + j] }
            #expect(got[j] == expected, "column \(j)")
        }
    }

    @Test("parallel chunks cover the range exactly once, for any worker count")
    func chunksCoverRange() {
        for workers in 1...3 {
            for count in [0, 1, 63, 64, 65, 100_000, 123_457] {
                var hits = [Int](repeating: 0, count: count)
                let lock = NSLock()
                Parallel.forEachChunk(count: count, align: 8, minimumPerWorker: 1000, workers: workers) { range in
                    lock.lock(); for i in range { hits[i] += 1 }; lock.unlock()
                }
                #expect(hits.allSatisfy { $0 == 1 }, "count \(count), workers \(workers)")
            }
        }
    }
}
