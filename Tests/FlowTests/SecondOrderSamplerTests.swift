import Foundation
import Testing
import Linalg
import Flow

/// The midpoint and Heun rules against the closed form of their step on dx/dt = λx.
@Suite("second-order ODE solvers")
struct SecondOrderSamplerTests {
    @Test("dx/dt = λx: midpoint and Heun give x0·(1 + λh + (λh)²/2)^N, within 1e-3 of x0·e^λ at N = 10; observed entries never move",
          arguments: [ODESolver.midpoint, .heun])
    func linearFlow(solver: ODESolver) {
        let lambda: Float = 0.7, steps = 10
        let net = FlowSamplerTests.linearVelocity(lambda: lambda)
        var x = Matrix([[3, 1], [-2, 0.5], [5, -1.5]])
        let observed = Matrix([[1, 0], [1, 0], [0, 0]])
        let start = x
        FlowSampler(steps: steps, blockRows: 2, solver: solver).integrate(network: net, x: &x, observed: observed)
        let lh = Double(lambda) / Double(steps)
        let factor = pow(1 + lh + lh * lh / 2, Double(steps))
        for i in 0..<3 {
            #expect(x[i, 0] == start[i, 0], "column 0 has velocity 0")
            #expect(abs(Double(x[i, 1]) - Double(start[i, 1]) * factor) < 1e-4)
            // Second order: the error at N = 10 is about λ³/(6N²)·e^λ ≈ 1.2e-3 relative; Euler's is 3.3e-2.
            #expect(abs(Double(x[i, 1]) - Double(start[i, 1]) * exp(Double(lambda))) < 2e-3 * abs(Double(start[i, 1])))
        }
        var y = Matrix([[3, 1]])
        FlowSampler(steps: steps, solver: solver).integrate(network: net, x: &y, observed: Matrix([[1, 1]]))
        #expect(y == Matrix([[3, 1]]))
    }

    @Test("on a random network the midpoint rule's error against a 4,000-step Euler reference falls about 4× when N doubles")
    func secondOrder() {
        var random = RandomSource(seed: 21)
        let net = MLP(widths: [10, 16, 3], random: &random)
        var x0 = Matrix(rows: 6, cols: 3, repeating: 0)
        for k in 0..<x0.count { x0.storage[k] = Float(random.normal()) }
        let observed = Matrix([[1, 0, 0], [0, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 0]])
        var reference = x0
        FlowSampler(steps: 4000).integrate(network: net, x: &reference, observed: observed)
        func error(_ steps: Int) -> Double {
            var x = x0
            FlowSampler(steps: steps, solver: .midpoint).integrate(network: net, x: &x, observed: observed)
            return zip(x.storage, reference.storage).map { Double(abs($0 - $1)) }.max()!
        }
        let e4 = error(4), e8 = error(8)
        // Euler's own error at 4,000 steps is ~1/4000 of its 1-step error; the ratio is 4 for a smooth field.
        #expect(e8 < e4 / 2.5 && e8 > e4 / 6, "e4 \(e4), e8 \(e8)")
    }
}
