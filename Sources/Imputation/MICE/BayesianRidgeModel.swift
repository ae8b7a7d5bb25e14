/// A fitted Bayesian ridge regression (`BayesianRidge`): the posterior mean of the weights, the
/// intercept and the two precisions, and, when asked for, the weights' posterior covariance.
package struct BayesianRidgeModel: Sendable, Equatable {
    /// Posterior mean of w (p).
    package var coefficients: [Double]
    /// ȳ − x̄ᵀw.
    package var intercept: Double
    /// x̄ (p): the predictive variance is about x − x̄, the point the centred fit pivots on.
    package var featureMeans: [Double]
    /// Noise precision α and weight precision λ at the end of the evidence iterations.
    package var alpha: Double
    package var lambda: Double
    /// Evidence iterations run (scikit-learn's `n_iter_`); 0 for a degenerate fit.
    package var iterations: Int
    /// Σ = (1/α)·(XcᵀXc + (λ/α)·I)⁻¹, p×p row-major; nil unless the fit was asked for it.
    package var covariance: [Double]?
    /// The final solve used the eigen-decomposition because Cholesky failed or the normal
    /// matrix was too ill-conditioned for it (see `BayesianRidge`).
    package var solvedByEigen: Bool

    package init(coefficients: [Double], intercept: Double, featureMeans: [Double], alpha: Double, lambda: Double,
                 iterations: Int, covariance: [Double]?, solvedByEigen: Bool = false) {
        precondition(featureMeans.count == coefficients.count && covariance.map { $0.count == coefficients.count * coefficients.count } ?? true,
                     "one mean per coefficient and a p×p covariance")
        self.coefficients = coefficients
        self.intercept = intercept
        self.featureMeans = featureMeans
        self.alpha = alpha
        self.lambda = lambda
        self.iterations = iterations
        self.covariance = covariance
        self.solvedByEigen = solvedByEigen
    }

    package var features: Int { coefficients.count }

    /// The fallback when not even the eigen-decomposition works: predict ȳ with the target's
    /// spread as noise and no weight uncertainty. `iterations` 0 marks it.
    static func constant(_ s: RidgeStatistics) -> BayesianRidgeModel {
        let p = s.featureMeans.count
        let variance = s.targetSumOfSquares / Double(s.samples)
        return BayesianRidgeModel(coefficients: [Double](repeating: 0, count: p), intercept: s.targetMean,
                                  featureMeans: s.featureMeans, alpha: 1 / (variance + Double.ulpOfOne), lambda: 1,
                                  iterations: 0, covariance: [Double](repeating: 0, count: p * p), solvedByEigen: false)
    }

    /// The predictive mean x·w + b for features `x` (p values).
    @inlinable
    package func predict(_ x: UnsafeBufferPointer<Double>) -> Double {
        var s = intercept
        for k in 0..<coefficients.count { s += x[k] * coefficients[k] }
        return s
    }

    /// The predictive standard deviation √((x − x̄)ᵀΣ(x − x̄) + 1/α): the weights' uncertainty
    /// about the training data's centre plus the noise. (scikit-learn ≥ 1.9 centres x the same
    /// way; older versions used x itself, which put the smallest uncertainty at the origin.)
    /// Needs `covariance`.
    package func predictiveStandardDeviation(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let covariance else { preconditionFailure("the model was fitted without its posterior covariance") }
        let p = coefficients.count
        var quadratic = 0.0
        for i in 0..<p {
            let vi = x[i] - featureMeans[i]
            var row = 0.0
            for j in 0..<p { row += covariance[i * p + j] * (x[j] - featureMeans[j]) }
            quadratic += vi * row
        }
        return (max(quadratic, 0) + 1 / alpha).squareRoot()
    }
}
