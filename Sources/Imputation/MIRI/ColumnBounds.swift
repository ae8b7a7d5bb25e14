import Flow
import Linalg

/// Per-column limits for imputed values: the smallest and largest *observed* value of each column.
///
/// Under MCAR the missing values come from the same law as the observed ones, so a draw far
/// outside the observed range is the flow's error, not data. On heavy-tailed columns a learned
/// flow occasionally throws a few draws to tens of standard deviations; fed back into the next
/// round, those grow. Clamping after each round (as scikit-learn's IterativeImputer does with
/// `min_value`/`max_value`) keeps them in the support without touching any observed entry.
package struct ColumnBounds: Sendable, Equatable, Codable {
    package var lower: [Float]
    package var upper: [Float]

    package init(lower: [Float], upper: [Float]) {
        precondition(lower.count == upper.count)
        self.lower = lower
        self.upper = upper
    }

    /// The observed range of each column of `x` (entries where `observed` is 1).
    package init(observedRangeOf x: Matrix, observed: Matrix) {
        var lower = [Float](repeating: .infinity, count: x.cols), upper = [Float](repeating: -.infinity, count: x.cols)
        for k in 0..<x.count where observed.storage[k] != 0 {
            let j = k % x.cols
            lower[j] = min(lower[j], x.storage[k])
            upper[j] = max(upper[j], x.storage[k])
        }
        self.init(lower: lower, upper: upper)
    }

    /// The observed range of each column of the table made of every rank's `x` (an all-reduced
    /// minimum of the lows and of the negated highs: exact).
    package init(observedRangeOf x: Matrix, observed: Matrix, communicator: Communicator) {
        let local = ColumnBounds(observedRangeOf: x, observed: observed)
        let both = communicator.minimum(local.lower.map(Double.init) + local.upper.map { -Double($0) })
        self.init(lower: both[..<x.cols].map { Float($0) }, upper: both[x.cols...].map { Float(-$0) })
    }

    /// Clamps the missing entries of `x` into their column's range; observed entries are untouched.
    package func clampMissing(_ x: inout Matrix, observed: Matrix) {
        precondition(x.cols == lower.count)
        for k in 0..<x.count where observed.storage[k] == 0 {
            let j = k % x.cols
            x.storage[k] = min(max(x.storage[k], lower[j]), upper[j])
        }
    }
}
