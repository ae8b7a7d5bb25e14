import Imputation
import Linalg
import Testing

/// The per-column scaling MIRI works in, worked by hand.
@Suite("standardization")
struct StandardizationTests {
    let nan = Float.nan

    @Test("mean and population std over the observed entries only")
    func fitting() {
        // Column 0: 1, 3, 5 → mean 3, population variance (4 + 0 + 4) / 3 = 8/3.
        // Column 1: 2, 2 (one missing) → mean 2, std 0, which becomes 1.
        let s = Standardization(fitting: Matrix([[1, 2], [3, nan], [5, 2]]))
        #expect(s.means == [3, 2])
        #expect(abs(s.stds[0] - (8.0 / 3).squareRoot()) < 1e-15)
        #expect(s.stds[1] == 1)
    }

    @Test("a column with no observed entry keeps mean 0 and std 1")
    func emptyColumn() {
        let s = Standardization(fitting: Matrix([[1, nan], [2, nan]]))
        #expect(s.means == [1.5, 0] && s.stds[1] == 1)
    }

    @Test("apply maps to mean 0 and std 1, NaN stays NaN; invert undoes apply")
    func applyAndInvert() {
        let data = Matrix([[1, 10], [3, nan], [5, 30]])
        let s = Standardization(fitting: data)
        let z = s.apply(data)
        // Column 0: (1 − 3) / √(8/3) = −√(3/2) ≈ −1.2247.
        #expect(abs(z[0, 0] + Float((1.5).squareRoot())) < 1e-6)
        #expect(z[1, 0] == 0)
        #expect(z[1, 1].isNaN)
        // Column 1: 10 and 30 → mean 20, std 10 → −1 and 1.
        #expect(z[0, 1] == -1 && z[2, 1] == 1)
        for i in 0..<3 {
            for j in 0..<2 where !data[i, j].isNaN {
                #expect(abs(s.invert(z[i, j], column: j) - data[i, j]) <= 1e-6 * max(1, abs(data[i, j])))
            }
        }
    }
}
