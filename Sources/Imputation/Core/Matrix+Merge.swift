import Linalg

/// The one merge of imputed values into a table: every imputer, the hooks and the benchmarks
/// go through it, so "observed entries stay bit for bit" is written once.
extension Matrix {
    /// This table with each NaN entry taken from `imputed` (same shape), whatever its value;
    /// observed entries are copied, so they are exact.
    package func filling(from imputed: Matrix) -> Matrix {
        precondition(imputed.rows == rows && imputed.cols == cols, "imputed values of another shape")
        var out = self
        for k in 0..<count where storage[k].isNaN { out.storage[k] = imputed.storage[k] }
        return out
    }

    /// `filling(from:)`, refusing a non-finite imputed value: throws `OutOfRangeImputation`
    /// naming the first such entry in row order.
    package func merging(imputed: Matrix) throws -> Matrix {
        for k in 0..<count where storage[k].isNaN && !imputed.storage[k].isFinite {
            throw OutOfRangeImputation(row: k / cols, column: k % cols)
        }
        return filling(from: imputed)
    }
}

extension Standardization {
    /// x · std + mean for every entry of a standardized table.
    package func invert(_ x: Matrix) -> Matrix {
        var out = x
        for k in 0..<x.count { out.storage[k] = invert(x.storage[k], column: k % x.cols) }
        return out
    }
}
