import Linalg

/// Ordinary least squares with an intercept, in Double: y = b₀ + Σ bₖ·xₖ + e.
///
/// The slopes solve the centred normal equations XcᵀXc·b = Xcᵀyc by Cholesky (LAPACKE_dpotrf/
/// dpotrs through `Linalg.Cholesky`, XcᵀXc by one dsyrk), the intercept is ȳ − x̄ᵀb. With
/// σ̂² = RSS/(n − p) (residuals computed row by row, p = predictors + 1), the variances are
/// σ̂²·(XcᵀXc)⁻¹ for the slopes and σ̂²·(1/n + x̄ᵀ(XcᵀXc)⁻¹x̄) for the intercept: the diagonal of
/// σ̂²·(XᵀX)⁻¹ for the design with its column of ones.
///
/// Singular designs are refused, not solved: a constant predictor, or predictors whose
/// correlation matrix has a condition number above `conditionLimit` (collinear to working
/// precision), throw `PoolingError.singularDesign` naming them.
public struct OrdinaryLeastSquares: Sendable {
    /// b₀ then the slopes, in the predictors' order.
    public let coefficients: [Double]
    /// Their variances.
    public let variances: [Double]
    /// σ̂² = RSS / (n − p).
    public let residualVariance: Double
    /// n − p.
    public let residualDF: Int

    /// Above this condition number of the predictors' correlation matrix the design is singular.
    public static let conditionLimit = 1e12

    /// Regresses column `response` of `table` on the columns `predictors` (none: the mean alone).
    /// `names` (one per predictor) label a singular design's error.
    public init(_ table: Matrix, response: Int, predictors: [Int], names: [String]? = nil) throws {
        try self.init(CompletedTable(table), response: response, predictors: predictors, names: names)
    }

    /// The same regression of a table in Double.
    public init(_ table: CompletedTable, response: Int, predictors: [Int], names: [String]? = nil) throws {
        let n = table.rows, k = predictors.count, p = k + 1
        guard n > p else { throw PoolingError.tooFewRows(rows: n, needed: p + 1) }
        func value(_ i: Int, _ j: Int) -> Double { table.value(i, j) }
        var xbar = [Double](repeating: 0, count: k), ybar = 0.0
        for i in 0..<n {
            for (a, j) in predictors.enumerated() { xbar[a] += value(i, j) }
            ybar += value(i, response)
        }
        for a in 0..<k { xbar[a] /= Double(n) }
        ybar /= Double(n)
        var slopes: [Double] = [], inverse: [Double] = []
        if k > 0 {
            var block = [Double](repeating: 0, count: n * (k + 1))
            for i in 0..<n {
                for (a, j) in predictors.enumerated() { block[i * (k + 1) + a] = value(i, j) - xbar[a] }
                block[i * (k + 1) + k] = value(i, response) - ybar
            }
            let g = block.withUnsafeBufferPointer { DoubleBLAS.gram($0, rows: n, cols: k + 1) }
            var gram = [Double](repeating: 0, count: k * k), xty = [Double](repeating: 0, count: k)
            for a in 0..<k {
                for b in 0..<k { gram[a * k + b] = g[a * (k + 1) + b] }
                xty[a] = g[a * (k + 1) + k]
            }
            let label = { (a: Int) in names.map { $0[a] } ?? "x\(predictors[a] + 1)" }
            let constant = (0..<k).filter { !(gram[$0 * k + $0] > 0) }
            if !constant.isEmpty { throw PoolingError.singularDesign(terms: constant.map(label)) }
            var correlation = gram
            for a in 0..<k { for b in 0..<k { correlation[a * k + b] /= (gram[a * k + a] * gram[b * k + b]).squareRoot() } }
            guard let eigen = SymmetricEigen(symmetric: correlation, n: k),
                  eigen.values[0] > eigen.values[k - 1] / Self.conditionLimit,
                  let cholesky = Cholesky(factoring: gram, n: k) else {
                throw PoolingError.singularDesign(terms: (0..<k).map(label))
            }
            slopes = cholesky.solve(xty)
            inverse = cholesky.inverse()
        }
        var intercept = ybar
        for a in 0..<k { intercept -= xbar[a] * slopes[a] }
        var rss = 0.0
        for i in 0..<n {
            var e = value(i, response) - intercept
            for (a, j) in predictors.enumerated() { e -= slopes[a] * value(i, j) }
            rss += e * e
        }
        let sigma2 = rss / Double(n - p)
        var quadratic = 0.0
        for a in 0..<k { for b in 0..<k { quadratic += xbar[a] * inverse[a * k + b] * xbar[b] } }
        coefficients = [intercept] + slopes
        variances = [sigma2 * (1 / Double(n) + quadratic)] + (0..<k).map { sigma2 * inverse[$0 * k + $0] }
        residualVariance = sigma2
        residualDF = n - p
    }
}
