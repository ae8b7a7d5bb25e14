import Testing
import Linalg
import Flow
import Imputation

@Suite("Adam")
struct AdamTests {
    @Test("two steps match the update worked by hand")
    func twoSteps() {
        // lr 0.1, β = (0.9, 0.999), ε = 1e-8, p0 = 1, g1 = 0.5, g2 = -1.
        // Step 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; p = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.9 (to 1e-8).
        // Step 2: m = 0.9·0.05 − 0.1 = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975;
        //         m̂ = −0.055/0.19 = −0.2894737, v̂ = 0.00124975/0.001999 = 0.6251876, √v̂ = 0.7906881;
        //         p = 0.9 + 0.1·0.2894737/0.7906881 = 0.9366101.
        let adam = Adam(parameterCount: 1, learningRate: 0.1)
        let p = FloatBuffer([1]), g = FloatBuffer([0.5])
        adam.update(parameters: p, gradients: g)
        #expect(abs(p[0] - 0.9) < 1e-6)
        g[0] = -1
        adam.update(parameters: p, gradients: g)
        #expect(abs(p[0] - 0.9366101) < 1e-6)
    }

    @Test("vector body and scalar tail agree, single- and multi-worker")
    func vectorAndTail() {
        var random = RandomSource(seed: 4)
        let n = 200_003
        let values = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        let grads = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        var results: [[Float]] = []
        for workers in [1, 2] {
            let adam = Adam(parameterCount: n, learningRate: 0.01)
            let p = FloatBuffer(values), g = FloatBuffer(grads)
            ComputeContext(threads: workers).run {
                for _ in 0..<3 { adam.update(parameters: p, gradients: g) }
            }
            results.append(p.array)
        }
        #expect(results[0] == results[1])
        // After 3 steps with a constant gradient each parameter moved by ≈ 3·lr against sign(g).
        for i in [0, 7, n - 1] {
            #expect(abs((values[i] - results[0][i]) - 0.03 * (grads[i] > 0 ? 1 : -1)) < 1e-4)
        }
    }

    @Test("a step applied in parts equals the step applied at once")
    func inParts() {
        var random = RandomSource(seed: 6)
        let n = 1_003
        let values = (0..<n).map { _ in random.uniformFloat(in: -1, 1) }
        let grads = (0..<3).map { _ in (0..<n).map { _ in random.uniformFloat(in: -1, 1) } }
        func run(parts: [Range<Int>]) -> [Float] {
            let adam = Adam(parameterCount: n, learningRate: 0.05)
            let p = FloatBuffer(values)
            for g in grads {
                let gb = FloatBuffer(g)
                adam.beginStep()
                for part in parts { adam.update(parameters: p, gradients: gb, range: part) }
            }
            return p.array
        }
        let whole = run(parts: [0..<n])
        // Parts starting at multiples of 8 keep every element on the same (vector or tail) path: equal bits.
        #expect(run(parts: [800..<n, 0..<64, 64..<800]) == whole)
        // Ragged parts move some elements between the vector body and the scalar tail,
        // whose square roots differ by at most 2 ulp.
        let ragged = run(parts: [0..<5, 5..<999, 999..<n])
        for i in 0..<n { #expect(abs(ragged[i] - whole[i]) <= 1e-6, "parameter \(i)") }
        #expect(whole != values)
    }
}

