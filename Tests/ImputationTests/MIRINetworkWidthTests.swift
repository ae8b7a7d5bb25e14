import Flow
import Imputation
import Linalg
import Testing

/// `widensWithTable`: hidden layers at least the first power of two that holds the input 3d + 1,
/// at most `maximumTableWidth`; narrow tables keep the preset's widths.
@Suite("MIRI network widths")
struct MIRINetworkWidthTests {
    @Test("hand-worked widths: 3d + 1 rounded up to a power of two, never below the preset's, at most 1024", arguments: [
        (1, 128), (7, 128), (42, 128),      // 3d + 1 ≤ 127: the preset's 128
        (43, 256), (64, 256), (85, 256),    // 130…256
        (86, 512), (128, 512), (170, 512),  // 259…511
        (171, 1024), (400, 1024), (5000, 1024)
    ])
    func widths(_ d: Int, _ hidden: Int) {
        let c = MIRIConfiguration.calibrated
        #expect(c.networkWidths(columns: d) == [3 * d + 1, hidden, hidden, d])
        #expect(MIRIConfiguration.fast.networkWidths(columns: d) == [3 * d + 1, 128, 128, d])
    }

    @Test("a preset wider than the rule keeps its own widths")
    func widerPresetKept() {
        var c = MIRIConfiguration.calibrated
        c.hiddenWidths = [2048, 64]
        #expect(c.networkWidths(columns: 64) == [193, 2048, 256, 64])
    }

    @Test("a widened model of a 50-column table trains 256-wide networks and imputes new rows as the fit did")
    func widenedModelApplies() throws {
        var random = RandomSource(seed: 5)
        let n = 120, d = 50
        var values = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            let h = Float(random.normal())
            for j in 0..<d { values[i * d + j] = h * Float(j % 5 + 1) + 0.1 * Float(random.normal()) }
        }
        var table = Matrix(rows: n, cols: d, storage: values)
        for i in 0..<n where i % 3 == 0 { table[i, (i / 3) % d] = .nan }
        var c = MIRIConfiguration.calibrated
        c.rounds = 2; c.stepsPerRound = 10; c.seed = 3
        let (model, imputed) = try MIRIImputer(configuration: c).fitAndImpute(table)
        #expect(model.networks.allSatisfy { $0.widths == [151, 256, 256, 50] })
        #expect(try model.transform(table, seed: c.seed).imputed == imputed)
    }
}
