import Linalg

/// The estimators `MultipleImputation` pools out of the box, each on one completed table:
/// column means and ordinary least squares with an intercept. Column names label the terms
/// (`names`, else "x1", "x2"… by position from 1).
public enum CompleteDataAnalysis {
    /// The mean of each of `columns`: x̄ with variance s²/n (s² with n − 1), ν_com = n − 1.
    /// Terms "mean(name)".
    public static func means(_ table: Matrix, columns: [Int], names: [String]? = nil) throws -> CompleteDataEstimates {
        try means(CompletedTable(table), columns: columns, names: names)
    }

    /// `means` of a table in Double.
    public static func means(_ table: CompletedTable, columns: [Int], names: [String]? = nil) throws -> CompleteDataEstimates {
        try check(table, columns: columns)
        let n = table.rows
        guard n >= 2 else { throw PoolingError.tooFewRows(rows: n, needed: 2) }
        var estimates: [Double] = [], variances: [Double] = []
        for j in columns {
            var sum = 0.0
            for i in 0..<n { sum += table.value(i, j) }
            let mean = sum / Double(n)
            var squares = 0.0
            for i in 0..<n { let d = table.value(i, j) - mean; squares += d * d }
            estimates.append(mean)
            variances.append(squares / Double(n - 1) / Double(n))
        }
        return CompleteDataEstimates(terms: columns.map { "mean(\(name($0, names)))" }, estimates: estimates,
                                     variances: variances, degreesOfFreedom: Double(n - 1))
    }

    /// Ordinary least squares of column `response` on `predictors` with an intercept
    /// (`OrdinaryLeastSquares`): terms "(Intercept)" and the predictors' names, variances
    /// σ̂²·(XᵀX)⁻¹ᵢᵢ with σ̂² = RSS / (n − p), ν_com = n − p.
    public static func regression(_ table: Matrix, response: Int, predictors: [Int], names: [String]? = nil) throws -> CompleteDataEstimates {
        try regression(CompletedTable(table), response: response, predictors: predictors, names: names)
    }

    /// `regression` of a table in Double.
    public static func regression(_ table: CompletedTable, response: Int, predictors: [Int], names: [String]? = nil) throws -> CompleteDataEstimates {
        try check(table, columns: [response] + predictors)
        if predictors.contains(response) { throw PoolingError.badColumn("the response \(name(response, names)) is also a predictor") }
        if Set(predictors).count != predictors.count { throw PoolingError.badColumn("a predictor is listed twice") }
        let fit = try OrdinaryLeastSquares(table, response: response, predictors: predictors,
                                           names: predictors.map { name($0, names) })
        return CompleteDataEstimates(terms: ["(Intercept)"] + predictors.map { name($0, names) }, estimates: fit.coefficients,
                                     variances: fit.variances, degreesOfFreedom: Double(fit.residualDF))
    }

    static func name(_ j: Int, _ names: [String]?) -> String {
        if let names, j < names.count { return names[j] }
        return "x\(j + 1)"
    }

    /// Columns in range and without NaN.
    static func check(_ table: CompletedTable, columns: [Int]) throws {
        for j in columns {
            guard j >= 0 && j < table.cols else {
                throw PoolingError.badColumn("column \(j + 1) is beyond the table's \(table.cols) columns")
            }
            for i in 0..<table.rows where !table.storage[i * table.cols + j].isFinite {
                throw PoolingError.missingValue(row: i, column: j)
            }
        }
    }
}
