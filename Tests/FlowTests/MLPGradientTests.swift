import Testing
import Linalg
@testable import Flow

@Suite("MLP backward pass against central finite differences")
struct MLPGradientTests {
    /// loss(θ) = Σ c ⊙ f_θ(X) for fixed random c, so ∂loss/∂output = c.
    static func loss(_ net: MLP, _ x: Matrix, _ c: [Float]) -> Double {
        let out = net.forward(x)
        return zip(out.storage, c).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    @Test("every parameter block, three layers with SiLU")
    func gradients() {
        var random = RandomSource(seed: 5)
        let net = MLP(widths: [7, 11, 9, 3], random: &random)
        let rows = 6
        let x = Matrix(rows: rows, cols: 7, storage: (0..<42).map { _ in random.uniformFloat(in: -2, 2) })
        let c = (0..<(rows * 3)).map { _ in random.uniformFloat(in: -1, 1) }

        let ws = MLPWorkspace(network: net, capacity: rows)
        let grads = FloatBuffer(count: net.parameterCount)
        grads.fill(.nan)     // backward must overwrite every entry
        x.storage.withUnsafeBufferPointer { xp in
            net.forward(input: xp.baseAddress!, rows: rows, workspace: ws)
            net.backward(input: xp.baseAddress!, rows: rows, outputGradient: c, workspace: ws, gradients: grads)
        }
        // Central differences in Float: h = 1e-2 keeps truncation (~h²) and rounding (~1e-7/h) both small.
        let h: Float = 1e-2
        var checked = 0
        for index in stride(from: 0, to: net.parameterCount, by: 3) {
            let saved = net.parameters[index]
            net.parameters[index] = saved + h
            let up = Self.loss(net, x, c)
            net.parameters[index] = saved - h
            let down = Self.loss(net, x, c)
            net.parameters[index] = saved
            let numeric = (up - down) / (2 * Double(h))
            let analytic = Double(grads[index])
            #expect(abs(numeric - analytic) <= 2e-3 + 1e-2 * abs(numeric), "parameter \(index): \(analytic) vs \(numeric)")
            checked += 1
        }
        #expect(checked == 76)      // 226 parameters, every third
    }

    @Test("init draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) per layer")
    func initialization() {
        var random = RandomSource(seed: 2)
        let net = MLP(widths: [4, 100, 25], random: &random)
        for layer in net.layers {
            let bound = 1 / Float(layer.fanIn).squareRoot()
            let values = (0..<(layer.fanIn * layer.fanOut)).map { net.parameters[layer.weightOffset + $0] }
            #expect(values.allSatisfy { abs($0) <= bound })
            // The largest |w| of many uniform draws comes close to the bound.
            #expect(values.map(abs).max()! > 0.95 * bound)
        }
    }
}
