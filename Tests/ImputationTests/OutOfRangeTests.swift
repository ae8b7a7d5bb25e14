import Testing
import Linalg
import Flow
@testable import Imputation

/// An imputation finite on MIRI's standardized scale but beyond Float's range on the table's
/// own scale must be an error, not a table holding ±inf (issue 14, defect 1: the CSV writer
/// trapped on it).
@Suite("Imputations beyond Float's range")
struct OutOfRangeTests {
    /// A model whose every flow moves each missing value by `shift` (standardized units): a
    /// network with zero weights whose output bias is `shift`, so the result is known exactly.
    static func constantFlow(columns d: Int, shift: Float, stds: [Double]) -> FittedMIRI {
        var configuration = MIRIConfiguration.fast
        configuration.rounds = 1
        configuration.hiddenWidths = [2]
        configuration.clampToObservedRange = false
        let network = MLP(widths: [3 * d + 1, 2, d])
        let output = network.layers.last!
        for j in 0..<d { network.parameters.pointer[output.biasOffset + j] = shift }
        return FittedMIRI(configuration: configuration, scaling: Standardization(means: Array(repeating: 0, count: d), stds: stds),
                          bounds: nil, networks: [network])
    }

    @Test("un-standardizing names the first cell that overflows, row and column from 0")
    func mergeNamesTheCell() {
        let data = Matrix([[1, .nan], [.nan, .nan]])
        let x = Matrix([[1, 0.5], [0.5, 2]])   // (1,1) is 2 · 3e38 = 6e38, beyond Float.max
        #expect(throws: OutOfRangeImputation(row: 1, column: 1)) {
            try data.merging(imputed: Standardization(means: [0, 0], stds: [3e38, 3e38]).invert(x))
        }
        #expect(throws: Never.self) {
            try data.merging(imputed: Standardization(means: [0, 0], stds: [3e38, 3e38]).invert(Matrix([[1, 0.5], [0.5, 1]])))
        }
    }

    @Test("a model whose scale carries the flow's output past Float.max throws instead of returning inf")
    func fittedModelWithHugeScale() {
        // Noise ~ N(0, 1) plus a shift of 20 lands near 20; times 3e38 that is ~6e39.
        let model = Self.constantFlow(columns: 2, shift: 20, stds: [3e38, 1])
        let data = Matrix([[1, 2], [.nan, 3], [4, .nan]])
        #expect(throws: OutOfRangeImputation(row: 1, column: 0)) { try model.transform(data, seed: 1).imputed }
        // The same flow on a sane scale imputes finite values.
        let sane = Self.constantFlow(columns: 2, shift: 20, stds: [1, 1])
        let imputed = try? sane.transform(data, seed: 1).imputed
        #expect(imputed?.storage.allSatisfy(\.isFinite) == true)
    }

    @Test("the message says what happened and how to avoid it")
    func message() {
        let text = OutOfRangeImputation(row: 4, column: 0).description
        #expect(text == "row 4, column 0: the imputed value is beyond the range of a 32-bit float (about ±3.4e38) on the table's scale")
    }
}
