import Foundation
import Testing
import Linalg
import Flow
import Imputation

@Suite("Euler sampler")
struct FlowSamplerTests {
    /// A network over d = 2 whose velocity is λ·u₁ for column 1 (and 0 for column 0):
    /// one hidden unit z = u₁ + 20, SiLU(z) = z·σ(z) ≈ z (σ(20) = 1 − 2e-9), output λ·h − 20λ.
    static func linearVelocity(lambda: Float) -> MLP {
        let net = MLP(widths: [7, 1, 2])
        let p = net.parameters
        let hidden = net.layers[0], out = net.layers[1]
        p[hidden.weightOffset + 1 * hidden.fanOut + 0] = 1      // input u₁ → hidden unit
        p[hidden.biasOffset] = 20
        p[out.weightOffset + 0 * out.fanOut + 1] = lambda       // hidden → output column 1
        p[out.biasOffset + 1] = -20 * lambda
        return net
    }

    @Test("dx/dt = λx: Euler gives x0·(1 + λ/N)^N, close to x0·e^λ; observed entries never move")
    func linearFlow() {
        let lambda: Float = 0.7, steps = 50
        let net = Self.linearVelocity(lambda: lambda)
        var x = Matrix([[3, 1], [-2, 0.5], [5, -1.5]])
        let observed = Matrix([[1, 0], [1, 0], [0, 0]])    // row 2 has column 0 missing too
        let start = x
        FlowSampler(steps: steps, blockRows: 2).integrate(network: net, x: &x, observed: observed)
        let factor = pow(1 + Double(lambda) / Double(steps), Double(steps))
        for i in 0..<3 {
            #expect(x[i, 0] == start[i, 0], "column 0 has velocity 0")
            #expect(abs(Double(x[i, 1]) - Double(start[i, 1]) * factor) < 1e-4)
            #expect(abs(Double(x[i, 1]) - Double(start[i, 1]) * exp(Double(lambda))) < 0.01 * abs(Double(start[i, 1])))
        }
        // A fully observed row is untouched even though the network would move it.
        var y = Matrix([[3, 1]])
        FlowSampler(steps: steps).integrate(network: net, x: &y, observed: Matrix([[1, 1]]))
        #expect(y == Matrix([[3, 1]]))
    }

    @Test("the result does not depend on the row block size")
    func blockSizeInvariance() {
        var random = RandomSource(seed: 8)
        let net = MLP(widths: [10, 16, 3], random: &random)
        let n = 37
        let x0 = Matrix(rows: n, cols: 3, storage: (0..<(n * 3)).map { _ in Float(random.normal()) })
        let obs = Matrix(rows: n, cols: 3, storage: (0..<(n * 3)).map { _ in random.uniformFloat() < 0.5 ? 1 : 0 })
        var results: [Matrix] = []
        for block in [1, 5, 37, 100] {
            var x = x0
            FlowSampler(steps: 10, blockRows: block).integrate(network: net, x: &x, observed: obs)
            results.append(x)
        }
        for r in results.dropFirst() {
            for k in 0..<r.count { #expect(abs(r.storage[k] - results[0].storage[k]) < 1e-5) }
        }
    }

    @Test("the inference pass gives the training forward pass's output, bit for bit")
    func inferenceMatchesForward() {
        var random = RandomSource(seed: 10)
        let net = MLP(widths: [10, 37, 19, 3], random: &random)
        let rows = 9
        let input = (0..<(rows * 10)).map { _ in random.uniformFloat(in: -3, 3) }
        let training = MLPWorkspace(network: net, capacity: rows), inference = InferenceWorkspace(network: net, capacity: rows)
        net.forward(input: input, rows: rows, workspace: training)
        net.infer(input: input, rows: rows, workspace: inference)
        let a = Array(UnsafeBufferPointer(start: training.output.pointer, count: rows * 3))
        let b = Array(UnsafeBufferPointer(start: inference.output.pointer, count: rows * 3))
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(a.contains { $0 != 0 })
    }
}

