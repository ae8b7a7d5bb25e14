import Testing
import Linalg
@testable import Flow

@Suite("Rectified-flow minibatch")
struct RectifiedFlowTests {
    @Test("interpolants, pinned coordinates, loss and gradient on a hand-worked batch")
    func handWorked() {
        // X = [[1, 2], [3, 4]], O = [[1, 0], [0, 0]], partner = [1, 0].
        let x: [Float] = [1, 2, 3, 4], o: [Float] = [1, 0, 0, 0]
        let batch = FlowBatch(capacity: 2, columns: 2)
        var random = RandomSource(seed: 1)
        var probe = random
        let t0 = probe.uniformFloat(), t1 = probe.uniformFloat()
        batch.fill(rows: [0, 1][...], data: x, observed: o, partner: [1, 0], random: &random)
        let row0 = (0..<7).map { batch.input[$0] }, row1 = (7..<14).map { batch.input[$0] }
        // Row 0: x0 = (1, 2), x1 = (3, 4). Column 0 observed: u₀ = 1 (own), w₀ = 3 (partner);
        // column 1 missing: u₁ = w₁ = t·4 + (1−t)·2.
        let mid0 = t0 * 4 + (1 - t0) * 2
        #expect(row0 == [1, mid0, 3, mid0, 1, 0, t0])
        // Row 1: x0 = (3, 4), x1 = (1, 2), both missing: u = w = x_t.
        let a = t1 * 1 + (1 - t1) * 3, b = t1 * 2 + (1 - t1) * 4
        #expect(row1 == [a, b, a, b, 0, 0, t1])
        // Targets x1 − x0: row 0 (2, 2), row 1 (−2, −2). Output f = [[5, 3], [0, -1]].
        // Missing entries: (0,1), (1,0), (1,1) → residuals 1, 2, 1; loss = (1 + 4 + 1)/3 = 2.
        // Gradient 2·r/3 on missing entries, 0 on the observed one.
        let f: [Float] = [5, 3, 0, -1]
        let loss = batch.lossAndGradient(output: f, rows: 2)
        #expect(loss == 2)
        let expected: [Float] = [0, 2.0 / 3, 4.0 / 3, 2.0 / 3]
        let gradient: [Float] = (0..<4).map { batch.gradient[$0] }
        #expect(gradient == expected)
    }

    @Test("a batch with nothing missing gives no loss")
    func nothingMissing() {
        let batch = FlowBatch(capacity: 1, columns: 2)
        var random = RandomSource(seed: 1)
        batch.fill(rows: [0][...], data: [1, 2, 3, 4], observed: [1, 1, 1, 1], partner: [1, 0], random: &random)
        #expect(batch.lossAndGradient(output: [9, 9], rows: 1) == nil)
    }
}
