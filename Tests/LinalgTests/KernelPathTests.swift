import Foundation
import Testing
import Linalg

/// The kernels every vector path (`machinePaths`) must agree on with a Double reference: Adam, the
/// moving average, the Euler update, the bias add; and SiLU far outside the usual range.
@Suite("Vector kernels on every path of this machine")
struct KernelPathTests {
    @Test("Adam matches the update computed in Double, and a split buffer gives the same bits", arguments: machinePaths)
    func adam(path: SIMDPath) {
        var random = RandomSource(seed: 21)
        let n = 1_000 + 13                                   // vectors of every width and a ragged tail
        let p0 = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        let g = (0..<n).map { _ in random.uniformFloat(in: -2, 2) }
        let m0 = (0..<n).map { _ in random.uniformFloat(in: -0.1, 0.1) }
        let v0 = (0..<n).map { _ in random.uniformFloat(in: 0, 0.01) }
        let step = Kernels.AdamStep(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 0.01 / (1 - 0.9 * 0.9),
                                    invSqrtBias2: Float(1 / (1 - 0.999 * 0.999).squareRoot()))
        func run(splitAt cut: Int) -> ([Float], [Float], [Float]) {
            var p = p0, m = m0, v = v0
            p.withUnsafeMutableBufferPointer { pp in m.withUnsafeMutableBufferPointer { mp in v.withUnsafeMutableBufferPointer { vp in
                Kernels.adam(p: pp.baseAddress!, g: g, m: mp.baseAddress!, v: vp.baseAddress!, count: cut, step: step, path: path)
                Kernels.adam(p: pp.baseAddress! + cut, g: Array(g[cut...]), m: mp.baseAddress! + cut, v: vp.baseAddress! + cut,
                             count: n - cut, step: step, path: path)
            } } }
            return (p, m, v)
        }
        let (p, m, v) = run(splitAt: n)
        // The reference in Double with the kernel's own Float coefficients (1 − β in Float, as the kernels
        // compute it); bounds are a few Float roundings of the terms' magnitudes.
        let b1 = Double(Float(0.9)), c1 = Double(1 - Float(0.9)), b2 = Double(Float(0.999)), c2 = Double(1 - Float(0.999))
        let u = 0x1p-24
        for i in 0..<n {
            let gi = Double(g[i])
            let mi = b1 * Double(m0[i]) + c1 * gi
            let vi = b2 * Double(v0[i]) + c2 * gi * gi
            let delta = Double(step.stepSize) * mi / (vi.squareRoot() * Double(step.invSqrtBias2) + 1e-8)
            let pi = Double(p0[i]) - delta
            #expect(abs(Double(m[i]) - mi) <= 4 * u * (abs(b1 * Double(m0[i])) + abs(c1 * gi)), "m[\(i)]")
            #expect(abs(Double(v[i]) - vi) <= 4 * u * vi, "v[\(i)]")
            #expect(abs(Double(p[i]) - pi) <= 4 * u * abs(Double(p0[i])) + 16 * u * abs(delta), "p[\(i)]")
        }
        // Elements do not depend on where a worker's chunk starts (ragged cut included).
        if path != .baseline {
            let split = run(splitAt: 517)
            #expect(split.0.map(\.bitPattern) == p.map(\.bitPattern))
            #expect(split.1.map(\.bitPattern) == m.map(\.bitPattern))
        }
    }

    @Test("Adam with the moving average fused gives the bits of Adam, then the average", arguments: machinePaths)
    func adamWithAverage(path: SIMDPath) {
        var random = RandomSource(seed: 26)
        let n = 103
        let p0 = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }, g = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        let avg0 = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        let step = Kernels.AdamStep(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 0.01, invSqrtBias2: 30)
        var p1 = p0, m1 = [Float](repeating: 0, count: n), v1 = m1, a1 = avg0
        var p2 = p0, m2 = m1, v2 = m1, a2 = avg0
        p1.withUnsafeMutableBufferPointer { pp in m1.withUnsafeMutableBufferPointer { mp in v1.withUnsafeMutableBufferPointer { vp in
            a1.withUnsafeMutableBufferPointer { ap in
                Kernels.adam(p: pp.baseAddress!, g: g, m: mp.baseAddress!, v: vp.baseAddress!, count: n, step: step,
                             average: ap.baseAddress!, decay: 0.99, path: path)
            } } } }
        p2.withUnsafeMutableBufferPointer { pp in m2.withUnsafeMutableBufferPointer { mp in v2.withUnsafeMutableBufferPointer { vp in
            a2.withUnsafeMutableBufferPointer { ap in
                Kernels.adam(p: pp.baseAddress!, g: g, m: mp.baseAddress!, v: vp.baseAddress!, count: n, step: step, path: path)
                Kernels.movingAverage(ap.baseAddress!, of: pp.baseAddress!, count: n, decay: 0.99, path: path)
            } } } }
        #expect(p1.map(\.bitPattern) == p2.map(\.bitPattern))
        #expect(a1.map(\.bitPattern) == a2.map(\.bitPattern))
        #expect(a1 != avg0)
    }

    @Test("the flow loss: the gradient's bits as the scalar loop, the sum within Double rounding", arguments: machinePaths)
    func maskedSquaredError(path: SIMDPath) {
        var random = RandomSource(seed: 27)
        let n = 128 * 9 + 5
        let f = (0..<n).map { _ in random.uniformFloat(in: -3, 3) }, t = (0..<n).map { _ in random.uniformFloat(in: -3, 3) }
        let mask = (0..<n).map { _ in random.uniformFloat() < 0.3 ? Float(1) : 0 }
        var g = [Float](repeating: .nan, count: n)
        let sum = g.withUnsafeMutableBufferPointer {
            Kernels.maskedSquaredError(output: f, target: t, mask: mask, count: n, scale: 0.01, gradient: $0.baseAddress!, path: path)
        }
        var exact = 0.0
        for k in 0..<n {
            let d = (f[k] - t[k]) * mask[k]
            #expect(g[k].bitPattern == (0.01 * d).bitPattern, "g[\(k)]")
            exact += Double(d) * Double(d)
        }
        #expect(abs(sum - exact) <= 1e-6 * exact)
    }

    @Test("the moving average matches a·average + (1−a)·p", arguments: machinePaths)
    func movingAverage(path: SIMDPath) {
        var random = RandomSource(seed: 22)
        let n = 77
        let p = (0..<n).map { _ in random.uniformFloat(in: -5, 5) }
        let a0 = (0..<n).map { _ in random.uniformFloat(in: -5, 5) }
        var average = a0
        average.withUnsafeMutableBufferPointer { Kernels.movingAverage($0.baseAddress!, of: p, count: n, decay: 0.99, path: path) }
        for i in 0..<n {
            let exact = 0.99 * Double(a0[i]) + 0.01 * Double(p[i])
            #expect(abs(Double(average[i]) - exact) <= 2e-7 * 5, "average[\(i)]")
        }
    }

    @Test("the Euler update moves missing entries by v·dt and leaves observed ones bit for bit", arguments: machinePaths)
    func eulerUpdate(path: SIMDPath) {
        var random = RandomSource(seed: 23)
        let n = 9 * 37                                       // rows of 9 columns, as protein
        let x0 = (0..<n).map { k in k % 11 == 0 ? -0.0 : random.uniformFloat(in: -3, 3) }
        let v = (0..<n).map { _ in random.uniformFloat(in: -2, 2) }
        let observed = (0..<n).map { _ in random.uniformFloat() < 0.7 ? Float(1) : 0 }
        var x = x0
        x.withUnsafeMutableBufferPointer { Kernels.maskedAxpy($0.baseAddress!, adding: v, times: 0.05, where: observed, count: n, path: path) }
        for k in 0..<n {
            if observed[k] != 0 {
                #expect(x[k].bitPattern == x0[k].bitPattern, "observed \(k)")
            } else {
                let exact = Double(x0[k]) + Double(v[k]) * Double(Float(0.05))
                #expect(abs(Double(x[k]) - exact) <= 4e-7 * max(1, abs(exact)), "missing \(k)")
            }
        }
    }

    @Test("the bias add matches, ragged rows included", arguments: machinePaths)
    func addBias(path: SIMDPath) {
        var random = RandomSource(seed: 24)
        for cols in [1, 9, 16, 19, 33] {
            let rows = 5
            let z0 = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -3, 3) }
            let bias = (0..<cols).map { _ in random.uniformFloat(in: -1, 1) }
            var z = z0
            z.withUnsafeMutableBufferPointer { Kernels.addBias($0.baseAddress!, bias: bias, rows: rows, cols: cols, path: path) }
            #expect(z == z0.indices.map { z0[$0] + bias[$0 % cols] }, "cols \(cols)")
        }
    }

    @Test("SiLU far from 0 stays accurate, finite and never subnormal", arguments: machinePaths)
    func siluExtremes(path: SIMDPath) {
        let values: [Float] = [-1e30, -1e6, -500, -104, -90, -87.5, -87, -60, -20, 0, 20, 87, 90, 500, 1e6, 1e30]
        let cols = values.count
        var z = values, sigma = [Float](repeating: 0, count: cols), h = sigma
        z.withUnsafeMutableBufferPointer { zp in sigma.withUnsafeMutableBufferPointer { sp in h.withUnsafeMutableBufferPointer { hp in
            Kernels.biasSiLU(z: zp.baseAddress!, bias: [Float](repeating: 0, count: cols), sigma: sp.baseAddress!, h: hp.baseAddress!,
                             rows: 1, cols: cols, path: path)
        } } }
        for (j, x) in values.enumerated() {
            #expect(sigma[j].isFinite && (sigma[j] == 0 || sigma[j].isNormal), "σ(\(x)) = \(sigma[j])")
            #expect(h[j].isFinite && (h[j] == 0 || h[j].isNormal), "silu(\(x)) = \(h[j])")
            // |error| ≤ 1e-6·max(1, |x|) against the exact value (≈ 0 for large negative x).
            #expect(abs(Double(h[j]) - Double(ReferenceKernels.silu(x))) <= 1e-6 * max(1, Double(abs(x))), "silu(\(x)) = \(h[j])")
        }
    }

    @Test("each path gives the same bits on a second run", arguments: machinePaths)
    func repeatable(path: SIMDPath) {
        var random = RandomSource(seed: 25)
        let rows = 33, cols = 128
        let z0 = (0..<(rows * cols)).map { _ in random.uniformFloat(in: -10, 10) }
        let bias = (0..<cols).map { _ in random.uniformFloat(in: -1, 1) }
        func run() -> [UInt32] {
            var z = z0
            z.withUnsafeMutableBufferPointer { Kernels.biasSiLUInPlace($0.baseAddress!, bias: bias, rows: rows, cols: cols, path: path) }
            return z.map(\.bitPattern)
        }
        #expect(run() == run())
    }
}

/// The flow minibatch kernel against its definition, written out per cell.
@Suite("Flow minibatch on every path of this machine")
struct FlowBatchKernelTests {
    @Test("every cell as defined, the bits of xt = t·x1 + (1−t)·x0 unfused, the missing count exact",
          arguments: machinePaths, [1, 9, 20, 33])
    func batch(path: SIMDPath, d: Int) {
        var random = RandomSource(seed: UInt64(d))
        let n = 40, count = 23
        let x = (0..<n * d).map { _ in random.uniformFloat(in: -3, 3) }
        let o = (0..<n * d).map { _ in Float(random.uniformFloat() < 0.6 ? 1 : 0) }
        let rows = (0..<count).map { _ in random.index(below: n) }
        let partner = random.permutation(n)
        let t = (0..<count).map { _ in random.uniformFloat() }
        let width = 3 * d + 1
        var input = [Float](repeating: .nan, count: count * width + 5)     // + 5: nothing written past the rows
        var target = [Float](repeating: .nan, count: count * d), missing = target
        let got = input.withUnsafeMutableBufferPointer { ip in target.withUnsafeMutableBufferPointer { tp in
            missing.withUnsafeMutableBufferPointer { mp in
                Kernels.flowBatch(data: x, observed: o, rows: rows, partner: partner, times: t, count: count, columns: d,
                                  input: ip.baseAddress!, target: tp.baseAddress!, missing: mp.baseAddress!, path: path)
            } } }
        var missingCells = 0
        for r in 0..<count {
            let i = rows[r], p = partner[i], tr = t[r]
            #expect(input[r * width + 3 * d] == tr)
            for j in 0..<d {
                let x0 = x[i * d + j], x1 = x[p * d + j], observed = o[i * d + j] != 0
                let a = tr * x1, b = (1 - tr) * x0                  // two roundings, then the sum
                let xt = a + b
                if !observed { missingCells += 1 }
                #expect(input[r * width + j].bitPattern == (observed ? x0 : xt).bitPattern, "u[\(r), \(j)]")
                #expect(input[r * width + d + j].bitPattern == (observed ? x1 : xt).bitPattern, "w[\(r), \(j)]")
                #expect(input[r * width + 2 * d + j] == o[i * d + j])
                #expect(target[r * d + j].bitPattern == (x1 - x0).bitPattern)
                #expect(missing[r * d + j] == (observed ? 0 : 1))
            }
        }
        #expect(got == missingCells)
        #expect(input[(count * width)...].allSatisfy { $0.isNaN })
    }
}
