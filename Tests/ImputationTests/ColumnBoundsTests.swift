import Testing
import Linalg
import Flow
import Imputation

@Suite("Column bounds")
struct ColumnBoundsTests {
    @Test("observed range per column; only missing entries are clamped")
    func handWorked() {
        // Column 0 observed values {1, 3} → [1, 3]; column 1 observed {-2, 5} except the 100, which is missing.
        var x = Matrix([[1, -2], [3, 100], [-50, 5], [9, 0]])
        let observed = Matrix([[1, 1], [1, 0], [0, 1], [0, 0]])
        let bounds = ColumnBounds(observedRangeOf: x, observed: observed)
        #expect(bounds == ColumnBounds(lower: [1, -2], upper: [3, 5]))
        bounds.clampMissing(&x, observed: observed)
        #expect(x == Matrix([[1, -2], [3, 5], [1, 5], [3, 0]]))
    }
}
