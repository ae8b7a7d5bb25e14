import Linalg

/// Bayesian ridge regression as scikit-learn's `BayesianRidge()` fits it with its defaults: the
/// regression MICE runs for every column (`MICEImputer`).
///
/// Model: y = X·w + b + noise, noise ~ N(0, 1/α), prior w ~ N(0, I/λ), Gamma(α₁, α₂) and
/// Gamma(λ₁, λ₂) hyperpriors on the two precisions. The intercept b is not probabilistic: X and
/// y are centred first (Xc = X − x̄, yc = y − ȳ) and b = ȳ − x̄ᵀw at the end.
///
/// Evidence maximisation (MacKay 1992, Tipping 2001 appendix A), from α = 1/(Var y + ε), λ = 1:
///
///     w   = (XcᵀXc + (λ/α)·I)⁻¹ · Xcᵀyc
///     γ   = Σₖ α·eₖ / (λ + α·eₖ)                     eₖ: eigenvalues of XcᵀXc
///     λ  ← (γ + 2λ₁) / (‖w‖² + 2λ₂)
///     α  ← (n − γ + 2α₁) / (‖yc − Xc·w‖² + 2α₂)
///
/// until Σ|w − w_previous| < `tolerance` (checked from the second iteration on) or
/// `maxIterations`; then w once more from the last α, λ. scikit-learn gets eₖ from an SVD of X;
/// here everything comes from the p×p Gram matrix (`RidgeStatistics`): its eigenvalues and
/// eigenvectors (LAPACKE_dsyev) make each iteration a diagonal scaling, and
/// ‖yc − Xc·w‖² = yc·yc − 2·wᵀXcᵀyc + wᵀXcᵀXc·w needs no pass over the rows. The final w is the
/// Cholesky solve (LAPACKE_dpotrf/dpotrs) of the normal equations.
///
/// Singular Gram matrices (a constant column, two equal columns) are fine: the prior adds
/// λ/α > 0 to every eigenvalue. When that shift still leaves the matrix too ill-conditioned for a
/// Cholesky solve in Double (condition number above `choleskyConditionLimit`) or dpotrf fails,
/// w comes from the eigen-decomposition instead, which divides each eigen-coordinate separately
/// and stays accurate (`BayesianRidgeModel.solvedByEigen` says so). A fit never returns NaN: when
/// even the eigen-decomposition fails, the model predicts ȳ (`degenerate`).
package struct BayesianRidge: Sendable, Equatable, Codable {
    /// Evidence iterations at most (scikit-learn's `max_iter`, default 300).
    package var maxIterations = 300
    /// Stop when Σ|w − w_previous| falls below this (scikit-learn's `tol`, default 1e-3).
    package var tolerance = 1e-3
    /// Gamma hyperprior shape and rate of α (noise precision) and λ (weight precision); 1e-6 each.
    package var alpha1 = 1e-6, alpha2 = 1e-6, lambda1 = 1e-6, lambda2 = 1e-6

    /// Above this condition number of XcᵀXc + (λ/α)·I the final solve uses the eigenvectors,
    /// not Cholesky: Double's Cholesky solve loses about log10(κ) of its 16 digits.
    package static let choleskyConditionLimit = 1e10

    package init() {}

    /// Fits y on the rows of `x` (`y.count` rows × `features` columns, row-major).
    /// `posterior`: also compute the posterior covariance of w (for predictive draws).
    package func fit(x: [Double], y: [Double], features p: Int, posterior: Bool = false) -> BayesianRidgeModel {
        precondition(p >= 1 && x.count == y.count * p && !y.isEmpty, "fit needs n ≥ 1 rows of p ≥ 1 features")
        return fit(RidgeStatistics(x: x, y: y, features: p), posterior: posterior)
    }

    /// Fits from the centred sufficient statistics.
    package func fit(_ s: RidgeStatistics, posterior: Bool = false) -> BayesianRidgeModel {
        let p = s.featureMeans.count, n = Double(s.samples)
        guard let eigen = SymmetricEigen(symmetric: s.gram, n: p) else { return .constant(s) }
        // XcᵀXc is positive semidefinite, and dsyev finds its eigenvalues to about ε·e_max: one
        // below `noiseFloor` is a zero (a direction the rows do not span: a constant column,
        // one-hot blocks that sum to a constant, fewer rows than features) and so is Xcᵀyc
        // along it. Kept, such a direction's noise over its noise eigenvalue gave weights
        // of 1e50 and more, which drove λ to 0 and the chained imputations beyond Float's range.
        let floor = Self.noiseFloor(eigen.values, features: p)
        let e = eigen.values.map { $0 > floor ? $0 : 0 }
        var xty = eigen.toEigenbasis(s.crossProducts)           // Xcᵀyc in the eigenbasis
        for k in 0..<p where e[k] == 0 { xty[k] = 0 }
        var alpha = 1 / (s.targetSumOfSquares / n + Double.ulpOfOne)
        var lambda = 1.0
        var previous: [Double]?
        var iterations = 0
        for iteration in 0..<maxIterations {
            iterations = iteration + 1
            let wt = Self.ridgeSolution(xty, eigenvalues: e, shift: lambda / alpha)
            let w = eigen.fromEigenbasis(wt)
            var fitTerm = 0.0
            for k in 0..<p { fitTerm += wt[k] * (e[k] * wt[k] - 2 * xty[k]) }
            let residual = max(s.targetSumOfSquares + fitTerm, 0)
            var gamma = 0.0
            for k in 0..<p where e[k] > 0 { gamma += alpha * e[k] / (lambda + alpha * e[k]) }
            lambda = (gamma + 2 * lambda1) / (w.reduce(0) { $0 + $1 * $1 } + 2 * lambda2)
            alpha = (n - gamma + 2 * alpha1) / (residual + 2 * alpha2)
            if let previous, zip(previous, w).reduce(0, { $0 + abs($1.0 - $1.1) }) < tolerance { break }
            previous = w
        }

        let shift = lambda / alpha
        var normal = s.gram
        for k in 0..<p { normal[k * p + k] += shift }
        let condition = (e[p - 1] + shift) / (e[0] + shift)
        var coefficients: [Double], covariance: [Double]?, solvedByEigen = false
        if condition.isFinite, condition < Self.choleskyConditionLimit, let cholesky = Cholesky(factoring: normal, n: p) {
            coefficients = cholesky.solve(s.crossProducts)
            covariance = posterior ? cholesky.inverse().map { $0 / alpha } : nil
        } else {
            solvedByEigen = true
            coefficients = eigen.fromEigenbasis(Self.ridgeSolution(xty, eigenvalues: e, shift: shift))
            covariance = posterior ? Self.eigenCovariance(eigen, eigenvalues: e, shift: shift, alpha: alpha) : nil
        }
        if coefficients.contains(where: { !$0.isFinite }) || !(alpha > 0 && alpha.isFinite && lambda >= 0 && lambda.isFinite)
            || covariance?.contains(where: { !$0.isFinite }) == true {
            return .constant(s)
        }
        var intercept = s.targetMean
        for k in 0..<p { intercept -= s.featureMeans[k] * coefficients[k] }
        if !intercept.isFinite { return .constant(s) }
        return BayesianRidgeModel(coefficients: coefficients, intercept: intercept, featureMeans: s.featureMeans,
                                  alpha: alpha, lambda: lambda, iterations: iterations, covariance: covariance,
                                  solvedByEigen: solvedByEigen)
    }

    /// Eigenvalues of a Gram matrix at or below this are zeros: `features` · 8ε · the largest,
    /// a few times LAPACK's error bound for dsyev (about ε · ‖XcᵀXc‖ per eigenvalue).
    static func noiseFloor(_ eigenvalues: [Double], features p: Int) -> Double {
        max(eigenvalues.last ?? 0, 0) * Double(p) * 8 * Double.ulpOfOne
    }

    /// (e + shift)⁻¹ · xty coordinate by coordinate; a direction with e + shift = 0 carries no
    /// information and gets 0.
    static func ridgeSolution(_ xty: [Double], eigenvalues e: [Double], shift: Double) -> [Double] {
        (0..<xty.count).map { k in e[k] + shift > 0 ? xty[k] / (e[k] + shift) : 0 }
    }

    /// (1/α)·Q·diag(1/(e + shift))·Qᵀ.
    static func eigenCovariance(_ eigen: SymmetricEigen, eigenvalues e: [Double], shift: Double, alpha: Double) -> [Double] {
        let p = eigen.n
        var out = [Double](repeating: 0, count: p * p)
        for k in 0..<p where e[k] + shift > 0 {
            let scale = 1 / ((e[k] + shift) * alpha)
            for i in 0..<p {
                let qi = eigen.vectors[i * p + k] * scale
                for j in 0..<p { out[i * p + j] += qi * eigen.vectors[j * p + k] }
            }
        }
        return out
    }
}

/// The centred sufficient statistics of a regression of y on p features over n rows: all a
/// Bayesian ridge fit reads. MICE builds them from one Gram matrix per column (`MICEChain`).
package struct RidgeStatistics: Sendable {
    package var samples: Int
    /// x̄ (p) and ȳ.
    package var featureMeans: [Double]
    package var targetMean: Double
    /// XcᵀXc, p×p row-major.
    package var gram: [Double]
    /// Xcᵀyc (p).
    package var crossProducts: [Double]
    /// yc·yc.
    package var targetSumOfSquares: Double

    package init(samples: Int, featureMeans: [Double], targetMean: Double, gram: [Double], crossProducts: [Double],
                 targetSumOfSquares: Double) {
        precondition(samples >= 1 && gram.count == featureMeans.count * featureMeans.count
                     && crossProducts.count == featureMeans.count, "inconsistent regression statistics")
        self.samples = samples
        self.featureMeans = featureMeans
        self.targetMean = targetMean
        self.gram = gram
        self.crossProducts = crossProducts
        self.targetSumOfSquares = targetSumOfSquares
    }

    /// From rows: the means, then the Gram of [Xc | yc] (one dsyrk), split into its blocks.
    package init(x: [Double], y: [Double], features p: Int) {
        let n = y.count
        var block = [Double](repeating: 0, count: n * (p + 1))
        for i in 0..<n {
            for k in 0..<p { block[i * (p + 1) + k] = x[i * p + k] }
            block[i * (p + 1) + p] = y[i]
        }
        self = RidgeStatistics(centering: &block, rows: n, target: p)
    }

    /// From a row-major n × c block whose column `target` is y and the others the features, in
    /// order; `block` is centred in place. Used by MICE with the whole working table's columns.
    package init(centering block: inout [Double], rows n: Int, target j: Int) {
        let c = block.count / n
        precondition(n >= 1 && block.count == n * c && c >= 2 && (0..<c).contains(j), "a regression block needs a target and a feature")
        var means = [Double](repeating: 0, count: c)
        for i in 0..<n { for k in 0..<c { means[k] += block[i * c + k] } }
        for k in 0..<c { means[k] /= Double(n) }
        for i in 0..<n { for k in 0..<c { block[i * c + k] -= means[k] } }
        let g = block.withUnsafeBufferPointer { DoubleBLAS.gram($0, rows: n, cols: c) }
        let features = (0..<c).filter { $0 != j }
        self.init(samples: n, featureMeans: features.map { means[$0] }, targetMean: means[j],
                  gram: features.flatMap { a in features.map { b in g[a * c + b] } },
                  crossProducts: features.map { g[$0 * c + j] }, targetSumOfSquares: g[j * c + j])
    }
}
