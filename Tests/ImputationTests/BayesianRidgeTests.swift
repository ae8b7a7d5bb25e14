import Testing
import Imputation
import Linalg

/// The reference numbers come from scikit-learn 1.9.1 (numpy 2.4.6), printed with repr():
///
///     import numpy as np
///     from sklearn.linear_model import BayesianRidge
///     X1, y1 = np.array([[1.0], [2.0], [4.0]]), np.array([1.0, 3.0, 2.0])
///     m = BayesianRidge(max_iter=1).fit(X1, y1)     # and BayesianRidge().fit(X1, y1)
///     print(m.coef_, m.intercept_, m.alpha_, m.lambda_, m.n_iter_)
///     X = np.array([[0.5, 1.0, -2.0], [1.5, -0.5, 0.0], [2.0, 2.0, 1.0],
///                   [-1.0, 0.5, 3.0], [0.0, -1.5, -1.0], [3.0, 0.0, 2.0]])
///     y = np.array([1.2, 0.3, 4.1, 1.9, -2.2, 3.4])
///     m = BayesianRidge().fit(X, y)
///     print(m.coef_, m.intercept_, m.alpha_, m.lambda_, m.n_iter_, m.sigma_)
///     print(m.predict(np.array([[1.0, 1.0, 1.0], [10.0, -3.0, 0.0]]), return_std=True))
@Suite("Bayesian ridge (scikit-learn BayesianRidge defaults)")
struct BayesianRidgeTests {
    static func close(_ a: Double, _ b: Double, _ relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(b), 1e-300)
    }

    @Test("One evidence update on three rows, by hand and as scikit-learn's max_iter=1")
    func oneUpdateByHand() {
        // x = (1, 2, 4), y = (1, 3, 2). Centred: xc = (−4, −1, 5)/3, yc = (−1, 1, 0).
        //   XcᵀXc = 42/9 = 14/3 (the one eigenvalue e), Xcᵀyc = (4 − 1)/3 = 1, yc·yc = 2, Var y = 2/3.
        // Start: α = 1/(2/3) = 1.5, λ = 1.
        //   w = 1 / (14/3 + λ/α) = 1 / (16/3) = 3/16
        //   ‖yc − Xc·w‖² = 2 − 2·(3/16)·1 + (3/16)²·14/3 = 2 − 0.375 + 0.1640625 = 1.7890625
        //   γ = α·e / (λ + α·e) = 7 / 8
        //   λ ← (7/8 + 2e-6) / ((3/16)² + 2e-6) = 0.875002 / 0.03515825
        //   α ← (3 − 7/8 + 2e-6) / (1.7890625 + 2e-6) = 2.125002 / 1.7890645
        // max_iter = 1 stops there and solves once more: w = 1 / (14/3 + λ/α), b = ȳ − x̄·w = 2 − (7/3)·w.
        var ridge = BayesianRidge()
        ridge.maxIterations = 1
        let m = ridge.fit(x: [1, 2, 4], y: [1, 3, 2], features: 1)
        let lambda = 0.875002 / 0.03515825, alpha = 2.125002 / 1.7890645
        #expect(Self.close(m.lambda, lambda, 1e-12))
        #expect(Self.close(m.alpha, alpha, 1e-12))
        #expect(Self.close(m.coefficients[0], 1 / (14.0 / 3 + lambda / alpha), 1e-12))
        #expect(Self.close(m.intercept, 2 - 7.0 / 3 * m.coefficients[0], 1e-12))
        // scikit-learn: coef 0.03903234959531761, intercept 1.9089245176109255,
        // alpha 1.187772715852335, lambda 24.887529953851494, n_iter 1.
        #expect(Self.close(m.coefficients[0], 0.03903234959531761))
        #expect(Self.close(m.intercept, 1.9089245176109255))
        #expect(Self.close(m.alpha, 1.187772715852335))
        #expect(Self.close(m.lambda, 24.887529953851494))
        #expect(m.iterations == 1)
    }

    @Test("The same three rows to convergence: scikit-learn's numbers after 6 iterations")
    func threeRowsConverged() {
        let m = BayesianRidge().fit(x: [1, 2, 4], y: [1, 3, 2], features: 1)
        #expect(m.iterations == 6)
        #expect(Self.close(m.coefficients[0], 0.00099542889767706, 1e-7))
        #expect(Self.close(m.intercept, 1.997677332572087, 1e-9))
        #expect(Self.close(m.alpha, 1.4992414593981382, 1e-9))
        #expect(Self.close(m.lambda, 1499.1296558417062, 1e-7))
    }

    @Test("Six rows, three features: coefficients, precisions, posterior covariance and predictive sd")
    func sixRows() {
        let x: [Double] = [0.5, 1.0, -2.0, 1.5, -0.5, 0.0, 2.0, 2.0, 1.0, -1.0, 0.5, 3.0, 0.0, -1.5, -1.0, 3.0, 0.0, 2.0]
        let y: [Double] = [1.2, 0.3, 4.1, 1.9, -2.2, 3.4]
        let m = BayesianRidge().fit(x: x, y: y, features: 3, posterior: true)
        #expect(m.iterations == 5)
        for (got, want) in zip(m.coefficients, [0.5817861186201663, 1.2104744443639992, 0.49341820241213213]) {
            #expect(Self.close(got, want))
        }
        #expect(Self.close(m.intercept, 0.3188861690827678))
        #expect(Self.close(m.alpha, 6.438581606788727))
        #expect(Self.close(m.lambda, 1.4331362379536399))
        let sigma = [0.01507038223627758, -0.00334520063303554, -0.00042565350997506,
                     -0.00334520063303554, 0.0219836684127096, -0.00260221922796391,
                     -0.00042565350997506, -0.00260221922796391, 0.00911798989105904]
        for (got, want) in zip(m.covariance ?? [], sigma) { #expect(Self.close(got, want, 1e-8)) }
        #expect(m.covariance?.count == 9)
        for (point, mean, sd) in [([1.0, 1.0, 1.0], 2.6045649344790656, 0.4098870052580154),
                                  ([10.0, -3.0, 0.0], 2.505324022192433, 1.3422237417425642)] {
            point.withUnsafeBufferPointer { p in
                #expect(Self.close(m.predict(p), mean))
                #expect(Self.close(m.predictiveStandardDeviation(p), sd, 1e-8))
            }
        }
        #expect(!m.solvedByEigen)
    }

    @Test("An exact linear relation is recovered to 1e-8, its noise precision held by the α prior")
    func exactRelation() {
        var random = RandomSource(seed: 4)
        let n = 40
        let x = (0..<(2 * n)).map { _ in random.normal() }
        let y = (0..<n).map { (i: Int) -> Double in 2 * x[2 * i] - 3 * x[2 * i + 1] + 1 }
        let m = BayesianRidge().fit(x: x, y: y, features: 2)
        #expect(abs(m.coefficients[0] - 2) < 1e-8 && abs(m.coefficients[1] + 3) < 1e-8 && abs(m.intercept - 1) < 1e-8)
        // ‖residual‖² ≈ 0, so α = (n − γ + 2α₁)/(0 + 2α₂) ≈ (40 − 2)/2e-6.
        #expect(Self.close(m.alpha, 38 / 2e-6, 1e-4))
    }

    @Test("A constant column and a duplicated column: finite fits that ignore the first and split the second")
    func singularGram() {
        // Columns: a, the constant 5, a again; y = a + 0.5 exactly, a of size ~1000. XcᵀXc has two
        // zero eigenvalues; the exact fit drives α to its prior bound (~n/2α₂) and λ/α to ~1e-7,
        // so the shifted normal matrix has condition number ~1e14: the eigenvector solve takes over.
        var random = RandomSource(seed: 8)
        let n = 30
        let a = (0..<n).map { _ in 1000 * random.normal() }
        let x = a.flatMap { (v: Double) -> [Double] in [v, 5, v] }
        let y = a.map { $0 + 0.5 }
        let m = BayesianRidge().fit(x: x, y: y, features: 3, posterior: true)
        #expect(m.solvedByEigen)
        #expect(m.coefficients.allSatisfy(\.isFinite) && m.intercept.isFinite && m.alpha.isFinite)
        #expect(m.covariance?.allSatisfy(\.isFinite) == true)
        // The duplicates share the weight equally (the ridge prior's minimum-norm split); the constant gets none.
        #expect(abs(m.coefficients[0] - 0.5) < 1e-9 && abs(m.coefficients[2] - 0.5) < 1e-9)
        #expect(abs(m.coefficients[1]) < 1e-9)
        [1.0, 5, 1].withUnsafeBufferPointer { p in #expect(abs(m.predict(p) - 1.5) < 1e-6) }
        // Without the exact fit (y of size 1 with noise) the same columns keep Cholesky.
        let noisy = (0..<n).map { _ in random.normal() }
        let small = noisy.flatMap { (v: Double) -> [Double] in [v, 5, v] }
        let m2 = BayesianRidge().fit(x: small, y: noisy.map { $0 + 0.3 * random.normal() }, features: 3)
        #expect(!m2.solvedByEigen && m2.coefficients.allSatisfy(\.isFinite))
        #expect(abs(m2.coefficients[0] - m2.coefficients[2]) < 1e-9)
    }

    @Test("A constant target: zero weights, the constant as intercept, no NaN")
    func constantTarget() {
        let m = BayesianRidge().fit(x: [1, 2, 3, 4], y: [7, 7, 7, 7], features: 1, posterior: true)
        #expect(m.coefficients == [0])
        #expect(m.intercept == 7)
        #expect(m.alpha.isFinite && m.lambda.isFinite && m.covariance?.allSatisfy(\.isFinite) == true)
    }

    @Test("One training row: the prediction is that row's y")
    func oneRow() {
        let m = BayesianRidge().fit(x: [3, 4], y: [2], features: 2, posterior: true)
        [10.0, -1].withUnsafeBufferPointer { p in #expect(m.predict(p) == 2) }
        #expect(m.covariance?.allSatisfy(\.isFinite) == true)
    }
}
