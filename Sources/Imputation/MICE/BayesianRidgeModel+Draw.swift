import Linalg

extension BayesianRidgeModel {
    /// A regression drawn from the posterior, for one step of a proper MICE draw (mice's `norm`,
    /// van Buuren 2018, algorithm 3.1, with the Bayesian ridge's posterior in place of the flat
    /// prior's): σ̃² = (1/α)·ν/χ²_ν with ν = max(n − p − 1, 1), then w̃ = w + √(σ̃²·α)·L·z with
    /// L·Lᵀ = Σ (the weights' posterior covariance) and z standard normal, and the intercept
    /// ȳ − x̄ᵀw̃ plus N(0, σ̃²/n) (the uncertainty of ȳ). The returned model predicts with w̃ and
    /// carries σ̃² as its noise (α = 1/σ̃²) and no weight covariance: a cell is then drawn as
    /// prediction + σ̃·z, the parameters' uncertainty being shared by all the step's cells.
    /// Needs `covariance`; returns the model unchanged when it is degenerate.
    package func posteriorDraw(samples n: Int, random: inout RandomSource) -> BayesianRidgeModel {
        guard let covariance, iterations > 0 else { return self }
        let p = features
        let nu = max(n - p - 1, 1)
        var chiSquare = 0.0
        for _ in 0..<nu { let z = random.normal(); chiSquare += z * z }
        let sigma2 = (1 / alpha) * Double(nu) / max(chiSquare, .leastNormalMagnitude)
        let scale = (sigma2 * alpha).squareRoot()
        var drawn = coefficients
        let z = (0..<p).map { _ in random.normal() }
        if let factor = Cholesky(factoring: covariance, n: p) {
            for i in 0..<p {
                var s = 0.0
                for k in 0...i { s += factor.lower[i * p + k] * z[k] }
                drawn[i] += scale * s
            }
        }
        // A stored regression may be drawn for a column with no observed row in the new table.
        var intercept = self.intercept + (sigma2 / Double(max(n, 1))).squareRoot() * random.normal()
        for k in 0..<p { intercept -= featureMeans[k] * (drawn[k] - coefficients[k]) }
        return BayesianRidgeModel(coefficients: drawn, intercept: intercept, featureMeans: featureMeans, alpha: 1 / sigma2,
                                  lambda: lambda, iterations: iterations, covariance: [Double](repeating: 0, count: p * p),
                                  solvedByEigen: solvedByEigen)
    }
}
