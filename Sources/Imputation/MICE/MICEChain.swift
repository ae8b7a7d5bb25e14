import Linalg

/// One regression of a MICE round: the column it imputes and its Bayesian ridge fit on the
/// columns `features` (ascending; nil: every other column, scikit-learn's `neighbor_feat_idx`
/// with all features; a list: the nearest features drawn for this step, see `MICENeighbours`).
package struct MICEStep: Sendable, Equatable {
    package var column: Int
    package var model: BayesianRidgeModel
    package var features: [Int]?

    package init(column: Int, model: BayesianRidgeModel, features: [Int]? = nil) {
        precondition(model.features == (features?.count ?? model.features), "one weight per feature")
        self.column = column
        self.model = model
        self.features = features
    }
}

/// The working table of chained equations and its two moves: regress a column on the others
/// over the rows that observe it, and overwrite its missing entries from such a regression.
/// Fitting (`MICEImputer`) and applying (`FittedMICE`) both go through `fill`, so a fitted
/// model replayed on its training table computes every imputation with the same arithmetic.
///
/// Shapes: n rows, d columns; `x` is n×d row-major Double, observed entries as given, missing
/// ones holding the current imputations.
final class MICEChain {
    let rows: Int, cols: Int
    private(set) var x: [Double]
    /// Per column: the rows where it is missing / observed, ascending.
    let missingRows: [[Int]]
    let observedRows: [[Int]]

    /// The table with every missing entry set to its column's `fill` value (the initial imputation).
    init(_ data: Matrix, fill: [Double]) {
        precondition(fill.count == data.cols, "one fill value per column")
        rows = data.rows
        cols = data.cols
        var x = [Double](repeating: 0, count: data.count)
        var missing = [[Int]](repeating: [], count: data.cols), observed = missing
        for i in 0..<data.rows {
            for j in 0..<data.cols {
                let v = data.storage[i * data.cols + j]
                if v.isNaN {
                    x[i * data.cols + j] = fill[j]
                    missing[j].append(i)
                } else {
                    x[i * data.cols + j] = Double(v)
                    observed[j].append(i)
                }
            }
        }
        self.x = x
        missingRows = missing
        observedRows = observed
    }

    /// The columns a round visits, in scikit-learn's "ascending" order: fewest missing entries
    /// first, ties by column index (numpy's stable mergesort of the missing fractions). Complete
    /// columns come first when `includingComplete`, else are left out (they never change).
    static func ascendingOrder(missingCounts: [Int], includingComplete: Bool) -> [Int] {
        missingCounts.indices.filter { includingComplete || missingCounts[$0] > 0 }
            .sorted { (missingCounts[$0], $0) < (missingCounts[$1], $1) }
    }

    /// Bayesian ridge of column `j` on all other columns, over the rows that observe `j`, with
    /// the other columns as they currently stand. One Gram matrix of all d columns (dsyrk)
    /// holds XᵀX, Xᵀy and yᵀy. Needs d ≥ 2.
    func regress(_ j: Int, features: [Int]? = nil, ridge: BayesianRidge, posterior: Bool) -> BayesianRidgeModel {
        let training = observedRows[j]
        if let features {
            // The step's features then the target: a (k + 1)-column block, k ≪ d on wide tables.
            let c = features.count + 1
            var block = [Double](repeating: 0, count: training.count * c)
            for (r, i) in training.enumerated() {
                for (t, k) in features.enumerated() { block[r * c + t] = x[i * cols + k] }
                block[r * c + c - 1] = x[i * cols + j]
            }
            let statistics = RidgeStatistics(centering: &block, rows: training.count, target: c - 1)
            return ridge.fit(statistics, posterior: posterior)
        }
        var block = [Double](repeating: 0, count: training.count * cols)
        for (r, i) in training.enumerated() {
            for k in 0..<cols { block[r * cols + k] = x[i * cols + k] }
        }
        let statistics = RidgeStatistics(centering: &block, rows: training.count, target: j)
        return ridge.fit(statistics, posterior: posterior)
    }

    /// Overwrites column `j`'s missing entries, rows ascending, with `model`'s prediction from
    /// the row's other columns, or with a draw from N(prediction, predictive sd²) when `random`
    /// is given (one normal per entry; an sd of 0 keeps the prediction, as scikit-learn does).
    func fill(_ j: Int, model: BayesianRidgeModel, features chosen: [Int]? = nil, random: inout RandomSource?) {
        precondition(model.features == (chosen?.count ?? cols - 1), "a model of column \(j) reads \(model.features) columns")
        var features = [Double](repeating: 0, count: model.features)
        features.withUnsafeMutableBufferPointer { f in
            for i in missingRows[j] {
                if let chosen {
                    for (t, k) in chosen.enumerated() { f[t] = x[i * cols + k] }
                } else {
                    for k in 0..<j { f[k] = x[i * cols + k] }
                    for k in (j + 1)..<cols { f[k - 1] = x[i * cols + k] }
                }
                let mean = model.predict(UnsafeBufferPointer(f))
                var value = mean
                if random != nil {
                    let sd = model.predictiveStandardDeviation(UnsafeBufferPointer(f))
                    if sd > 0, let z = random?.normal() { value = mean + sd * z }
                }
                x[i * cols + j] = value
            }
        }
    }

    /// max over rows of Σ over columns of |x − previous|: numpy's ∞-norm of the matrix
    /// difference, which is what scikit-learn's `np.linalg.norm(Xt − Xt_previous, ord=np.inf)`
    /// computes for a 2-D array (its docstring says max|X_t − X_{t−1}|; the code sums each row).
    func change(since previous: [Double]) -> Double {
        var largest = 0.0
        for i in 0..<rows {
            var s = 0.0
            for k in (i * cols)..<((i + 1) * cols) { s += abs(x[k] - previous[k]) }
            largest = max(largest, s)
        }
        return largest
    }

    /// `data` with its missing entries replaced by the chain's current values as Float.
    /// Throws when one does not fit in a Float (only on tables near Float's range).
    func completed(_ data: Matrix) throws -> Matrix {
        var out = data
        for j in 0..<cols {
            for i in missingRows[j] {
                let value = Float(x[i * cols + j])
                if !value.isFinite { throw MICEError.outOfRange(row: i, column: j, value: x[i * cols + j]) }
                out.storage[i * cols + j] = value
            }
        }
        return out
    }
}

/// A MICE imputation that cannot be written as a table of Floats.
public enum MICEError: Error, Equatable, CustomStringConvertible {
    /// The regression put a value beyond ±3.4e38 in this cell (rows and columns from 0).
    case outOfRange(row: Int, column: Int, value: Double)

    public var description: String {
        switch self {
        case let .outOfRange(row, column, value):
            return "row \(row), column \(column): MICE imputed \(value), beyond the range of a 32-bit float"
        }
    }
}
