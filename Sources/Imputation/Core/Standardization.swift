import Linalg

/// Per-column affine scaling to mean 0, std 1 over the *observed* entries (population std;
/// a std of 0 becomes 1, so constant columns pass through centred).
public struct Standardization: Sendable, Equatable, Codable {
    /// Each column's mean over its observed entries (0 for a column with none).
    public var means: [Double]
    /// Each column's population standard deviation over its observed entries (1 where that is 0 or there are none).
    public var stds: [Double]

    /// A scaling with these means and standard deviations, one per column.
    public init(means: [Double], stds: [Double]) {
        self.means = means
        self.stds = stds
    }

    /// Fits on the non-NaN entries of `data`, accumulating in Double.
    public init(fitting data: Matrix) {
        var means = [Double](repeating: 0, count: data.cols)
        var stds = [Double](repeating: 1, count: data.cols)
        for j in 0..<data.cols {
            var sum = 0.0, count = 0
            for i in 0..<data.rows where !data[i, j].isNaN { sum += Double(data[i, j]); count += 1 }
            guard count > 0 else { continue }
            let mean = sum / Double(count)
            var ss = 0.0
            for i in 0..<data.rows where !data[i, j].isNaN { let e = Double(data[i, j]) - mean; ss += e * e }
            let std = (ss / Double(count)).squareRoot()
            means[j] = mean
            stds[j] = std > 0 && std.isFinite ? std : 1
        }
        self.means = means
        self.stds = stds
    }

    /// (x − mean) / std per column; NaN stays NaN.
    public func apply(_ data: Matrix) -> Matrix {
        var out = data
        for i in 0..<data.rows {
            for j in 0..<data.cols { out[i, j] = Float((Double(data[i, j]) - means[j]) / stds[j]) }
        }
        return out
    }

    /// x · std + mean for one value of column j.
    @inlinable
    public func invert(_ value: Float, column j: Int) -> Float {
        Float(Double(value) * stds[j] + means[j])
    }
}
