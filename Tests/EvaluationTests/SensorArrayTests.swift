import Foundation
import Testing
import Linalg
@testable import Evaluation

/// The sensor-array table of issue 22 against what its formula bounds.
@Suite("sensor-array table")
struct SensorArrayTests {
    @Test("2,000 × 128, the same bits for the same seed, every sensor within a_j + c_j ≤ 2.5 plus 6 noise sds, none constant")
    func shapeAndBounds() {
        var r1 = RandomSource(seed: 3), r2 = RandomSource(seed: 3), r3 = RandomSource(seed: 4)
        let a = SyntheticTables.sensorArray(rows: 2000, random: &r1)
        #expect(a.rows == 2000 && a.cols == 128)
        #expect(a == SyntheticTables.sensorArray(rows: 2000, random: &r2))
        #expect(a != SyntheticTables.sensorArray(rows: 2000, random: &r3))
        // |a·tanh| < a ≤ 2, |c·sin| ≤ c ≤ 0.5, noise sd 0.01·(a + c) ≤ 0.025: |x| < 2.5 + 6·0.025.
        #expect(a.storage.allSatisfy { $0.isFinite && abs($0) < 2.65 })
        for j in 0..<a.cols {
            let column = (0..<a.rows).map { Double(a[$0, j]) }
            let mean = column.reduce(0, +) / Double(a.rows)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(a.rows)).squareRoot()
            #expect(sd > 0.05, "sensor \(j) sd \(sd)")
        }
    }
}
