import Testing
import Linalg
import Flow

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
            Parallel.workers = workers
            let adam = Adam(parameterCount: n, learningRate: 0.01)
            let p = FloatBuffer(values), g = FloatBuffer(grads)
            for _ in 0..<3 { adam.update(parameters: p, gradients: g) }
            results.append(p.array)
        }
        Parallel.workers = 1
        #expect(results[0] == results[1])
        // After 3 steps with a constant gradient each parameter moved by ≈ 3·lr against sign(g).
        for i in [0, 7, n - 1] {
            #expect(abs((values[i] - results[0][i]) - 0.03 * (grads[i] > 0 ? 1 : -1)) < 1e-4)
        }
    }
}
