import Foundation
import Testing
import Linalg
import Flow
import Imputation

/// Warm starts, side-by-side imputations (chains) and weight averaging: each checked against
/// what it must mean, so a change that silently disables one of them fails here.
@Suite("MIRI round features")
struct MIRIRoundFeaturesTests {
    static func table() -> Matrix {
        Synthetic.mcar(Synthetic.equicorrelated(rows: 120, columns: 3, rho: 0.8, seed: 31), rate: 0.3, seed: 32)
    }

    static func config(rounds: Int = 2, epochs: Int = 1) -> MIRIConfiguration {
        var c = Synthetic.testConfiguration
        c.rounds = rounds; c.epochs = epochs; c.batchSize = 40; c.hiddenWidths = [16, 16]; c.odeBlockRows = 32
        return c
    }

    /// Largest |a − b| over two networks' parameters.
    static func distance(_ a: MLP, _ b: MLP) -> Float {
        (0..<a.parameterCount).reduce(0) { max($0, abs(a.parameters.pointer[$1] - b.parameters.pointer[$1])) }
    }

    @Test("a warm round starts from the previous round's weights; a cold one does not")
    func warmStart() throws {
        // One epoch of 120 rows in batches of 40 is 3 Adam steps; Adam moves each weight by at most
        // about lr per step, so with lr = 1e-5 a warm round-2 network is within 3e-5 (+ rounding)
        // of round 1's. A fresh init draws weights of size ~1/√fan_in, orders of magnitude further.
        var c = Self.config()
        c.learningRate = 1e-5
        c.warmStart = true
        let warm = try MIRIImputer(configuration: c).fit(Self.table())
        #expect(Self.distance(warm.networks[0], warm.networks[1]) < 5e-5)
        #expect(warm.networks[0] !== warm.networks[1])
        c.warmStart = false
        let cold = try MIRIImputer(configuration: c).fit(Self.table())
        #expect(Self.distance(cold.networks[0], cold.networks[1]) > 0.05)
    }

    @Test("imputations side by side: ⌈chainRows / n⌉ of them, at most 16", arguments: [
        (8192, 506, 16), (8192, 2000, 5), (8192, 45_730, 1), (4096, 4096, 1), (4097, 4096, 2), (100, 1, 16),
    ])
    func chainCount(target: Int, rows: Int, expected: Int) {
        var c = Self.config()
        c.chainRows = target
        #expect(c.chains(forRows: rows) == expected)
        c.chainRows = nil
        #expect(c.chains(forRows: rows) == 1)
    }

    @Test("with chains, the fit's imputation is what the fitted model gives for the fit's seed, bit for bit")
    func chainsReproduceApply() throws {
        var c = Self.config(rounds: 3, epochs: 2)
        c.chainRows = 400                      // 120 rows → 4 imputations side by side
        c.warmStart = true
        let masked = Self.table()
        let imputer = MIRIImputer(configuration: c)
        let (model, imputed) = try imputer.fitAndImpute(masked)
        #expect(try model.transform(masked, seed: c.seed).imputed == imputed)
        // The other imputations change the training: the networks differ from a one-imputation fit.
        c.chainRows = nil
        let single = try MIRIImputer(configuration: c).fit(masked)
        #expect(Self.distance(single.networks[2], model.networks[2]) > 1e-3)
    }

    @Test("with chains, a run resumed from a checkpoint ends as the uninterrupted run")
    func chainsResume() throws {
        var c = Self.config(rounds: 3, epochs: 2)
        c.chainRows = 300
        let masked = Self.table()
        var states: [MIRIRunState] = []
        let full = try MIRIImputer(configuration: c).fitAndImpute(masked) { states.append($0) }
        #expect(states.count == 4)
        #expect(states[1].x.rows == 3 * masked.rows && states[1].tableRows == masked.rows)
        let resumed = try MIRIImputer(configuration: c).fitAndImpute(masked, resumingFrom: states[1])
        #expect(resumed.imputed == full.imputed)
    }

    @Test("the weight average is the exponential moving average of Adam's iterates")
    func weightAverage() {
        // A naive Double recomputation of Adam and of a ← 0.9·a + 0.1·p over 37 parameters
        // (vector loop and scalar tail), three steps with fixed gradients.
        let count = 37
        let parameters = FloatBuffer(count: count)
        let gradients = FloatBuffer(count: count)
        for i in 0..<count { parameters.pointer[i] = Float(i) * 0.1 - 1 }
        let adam = Adam(parameterCount: count, learningRate: 0.01, averageDecay: 0.9)
        adam.startAverage(at: parameters)
        var p = (0..<count).map { Double(parameters.pointer[$0]) }
        var m = [Double](repeating: 0, count: count), v = m, average = p
        for step in 1...3 {
            for i in 0..<count { gradients.pointer[i] = Float(sin(Double(i * step))) }
            adam.update(parameters: parameters, gradients: gradients)
            for i in 0..<count {
                let g = Double(gradients.pointer[i])
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                let mHat = m[i] / (1 - pow(0.9, Double(step))), vHat = v[i] / (1 - pow(0.999, Double(step)))
                p[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
                average[i] = 0.9 * average[i] + 0.1 * p[i]
            }
        }
        let out = FloatBuffer(count: count)
        adam.copyAverage(into: out)
        for i in 0..<count {
            #expect(abs(Double(parameters.pointer[i]) - p[i]) < 1e-5)
            #expect(abs(Double(out.pointer[i]) - average[i]) < 1e-5, "parameter \(i)")
        }
        // The average lags the iterate: after three steps it is not the last iterate.
        #expect((0..<count).contains { abs(Double(out.pointer[$0]) - p[$0]) > 1e-3 })
    }
}
