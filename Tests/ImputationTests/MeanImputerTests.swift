import Imputation
import Linalg
import Testing

/// Column-mean imputation, worked by hand.
@Suite("mean imputer")
struct MeanImputerTests {
    let nan = Float.nan

    @Test("each missing entry becomes its column's observed mean")
    func handWorked() throws {
        // Column 0: (1 + 2 + 6) / 3 = 3. Column 1: (10 + 30) / 2 = 20. Column 2: complete.
        let table = Matrix([[1, 10, 5], [2, nan, 6], [6, 30, 7], [nan, nan, 8]])
        let out = try MeanImputer().impute(table)
        #expect(out.imputed == Matrix([[1, 10, 5], [2, 20, 6], [6, 30, 7], [3, 20, 8]]))
        #expect(out.imputedCount == 3)
    }

    @Test("the mean is accumulated in Double and rounded once: 0.1 three times gives Float(0.1)")
    func roundedOnce() throws {
        // Summing Float(0.1) in Float drifts; in Double the mean of three equal values is exact.
        let tenth = Float(0.1)
        let table = Matrix([[tenth], [tenth], [tenth], [nan]])
        #expect(try MeanImputer().impute(table).imputed[3, 0] == tenth)
        let model = try MeanImputer().fit(table)
        #expect(model.means == [Double(tenth)])
    }

    @Test("fitted means complete other rows; the training table's means, not theirs")
    func fitted() throws {
        let model = try MeanImputer().fit(Matrix([[1, 4], [3, nan]]))
        #expect(model.means == [2, 4])
        #expect(try model.transform(Matrix([[nan, 100], [50, nan]])).imputed == Matrix([[2, 100], [50, 4]]))
    }

    @Test("a column of huge values keeps a finite mean (no Float overflow in the sum)")
    func huge() throws {
        let big = Float.greatestFiniteMagnitude
        let out = try MeanImputer().impute(Matrix([[big], [big], [nan]]))
        #expect(out.imputed[2, 0] == big)
    }
}
