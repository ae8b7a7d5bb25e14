import Foundation
import Imputation
import Linalg
import Testing

/// Rubin's rules, the t distribution and OLS against hand-worked cases and closed forms.
@Suite("Pooling: hand-worked cases and closed forms")
struct PoolingTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test("m = 3, estimates 1, 2, 3, variances 0.5: every formula by hand")
    func handWorked() throws {
        // Q̄ = 2, Ū = 0.5, B = ((−1)² + 0 + 1²)/2 = 1, T = 0.5 + (4/3)·1 = 11/6,
        // r = (4/3)/0.5 = 8/3, λ = (4/3)/(11/6) = 8/11.
        // ν_com = 10: ν_old = 2/(8/11)² = 121/32, ν_obs = (11/13)·10·(3/11) = 30/13,
        // ν = ν_old·ν_obs/(ν_old + ν_obs); fmi = (r + 2/(ν + 3))/(1 + r).
        let p = try RubinPooling.pool(term: "q", estimates: [1, 2, 3], variances: [0.5, 0.5, 0.5], completeDataDF: 10)
        let old = 121.0 / 32, obs = 30.0 / 13, nu = old * obs / (old + obs)
        #expect(p.estimate == 2 && p.within == 0.5 && p.between == 1)
        #expect(Self.close(p.total, 11.0 / 6))
        #expect(Self.close(p.relativeIncrease, 8.0 / 3))
        #expect(Self.close(p.lambda, 8.0 / 11))
        #expect(Self.close(p.df, nu))
        #expect(Self.close(p.fmi, (8.0 / 3 + 2 / (nu + 3)) / (11.0 / 3)))
        #expect(Self.close(p.standardError, (11.0 / 6).squareRoot()))
        #expect(Self.close(p.statistic, 2 / (11.0 / 6).squareRoot()))
        let crit = StudentT.quantile(0.975, degreesOfFreedom: nu)
        #expect(Self.close(p.lower, 2 - crit * p.standardError) && Self.close(p.upper, 2 + crit * p.standardError))
        // ν_com = ∞: ν = ν_old = 121/32 (Rubin 1987).
        let infinite = try RubinPooling.pool(term: "q", estimates: [1, 2, 3], variances: [0.5, 0.5, 0.5], completeDataDF: .infinity)
        #expect(Self.close(infinite.df, 121.0 / 32))
    }

    @Test("B = 0: λ is floored at 1e-4 inside ν (mice), T = Ū, the interval is the complete-data t interval's")
    func noBetweenVariance() throws {
        let p = try RubinPooling.pool(term: "q", estimates: [2, 2, 2, 2], variances: [1, 1, 1, 1], completeDataDF: 20)
        #expect(p.between == 0 && p.total == 1 && p.lambda == 0 && p.relativeIncrease == 0)
        let old = 3 / 1e-8, obs = 21.0 / 23 * 20 * (1 - 1e-4)
        #expect(Self.close(p.df, old * obs / (old + obs)))
        #expect(abs(p.upper - (2 + StudentT.quantile(0.975, degreesOfFreedom: obs))) < 1e-6)
    }

    @Test("Bad inputs: m < 2, different terms, zero variance, NaN, a bad level")
    func refusals() throws {
        let one = CompleteDataEstimates(terms: ["a"], estimates: [1], variances: [1], degreesOfFreedom: 5)
        #expect(throws: PoolingError.tooFewImputations(1)) { try RubinPooling.pool([one]) }
        var other = one; other.terms = ["b"]
        #expect(throws: PoolingError.termsDiffer(imputation: 2)) { try RubinPooling.pool([one, other]) }
        var flat = one; flat.variances = [0]
        #expect(throws: PoolingError.zeroVariance(term: "a")) { try RubinPooling.pool([flat, flat]) }
        var nan = one; nan.estimates = [.nan]
        #expect(throws: PoolingError.invalidEstimate(term: "a", imputation: 2)) { try RubinPooling.pool([one, nan]) }
        #expect(throws: PoolingError.badLevel(1)) { try RubinPooling.pool([one, one], level: 1) }
    }

    @Test("Student t: the Cauchy (ν = 1) and ν = 2 closed forms, the normal at ν = ∞")
    func studentT() {
        for t in [-30.0, -2, -0.5, 0, 0.3, 1, 7] {
            #expect(Self.close(StudentT.cdf(t, degreesOfFreedom: 1), 0.5 + atan(t) / Double.pi, 1e-13))
            #expect(Self.close(StudentT.cdf(t, degreesOfFreedom: 2), 0.5 + t / (2 * (2 + t * t).squareRoot()), 1e-13))
            #expect(Self.close(StudentT.twoSidedP(t, degreesOfFreedom: 1), 1 - 2 * atan(abs(t)) / Double.pi, 1e-12))
        }
        // Cauchy quantile tan(π(p − ½)); the normal's 0.975 quantile 1.959963984540054.
        for p in [0.6, 0.9, 0.975, 0.999] {
            #expect(Self.close(StudentT.quantile(p, degreesOfFreedom: 1), tan(Double.pi * (p - 0.5)), 1e-12))
        }
        #expect(Self.close(StudentT.quantile(0.975, degreesOfFreedom: .infinity), 1.959963984540054, 1e-13))
    }

    @Test("OLS, one predictor: slope Sxy/Sxx, intercept ȳ − b·x̄, se² σ̂²/Sxx and σ̂²(1/n + x̄²/Sxx)")
    func simpleRegression() throws {
        // y = 1, 3, 2, 5, 4 at x = 0..4: x̄ = 2, ȳ = 3, Sxx = 10, Sxy = 8 → b = 0.8, a = 1.4;
        // residuals −0.4, 0.8, −1, 1.2, −0.6 → RSS = 3.6, σ̂² = 3.6/3 = 1.2.
        let table = Matrix([[1, 0], [3, 1], [2, 2], [5, 3], [4, 4]])
        let fit = try OrdinaryLeastSquares(table, response: 0, predictors: [1])
        #expect(Self.close(fit.coefficients[0], 1.4) && Self.close(fit.coefficients[1], 0.8))
        #expect(Self.close(fit.residualVariance, 1.2) && fit.residualDF == 3)
        #expect(Self.close(fit.variances[1], 1.2 / 10) && Self.close(fit.variances[0], 1.2 * (0.2 + 4.0 / 10)))
        // No predictor: the mean with variance s²/n.
        let mean = try OrdinaryLeastSquares(table, response: 0, predictors: [])
        #expect(Self.close(mean.coefficients[0], 3) && Self.close(mean.variances[0], 2.5 / 5))
        let means = try CompleteDataAnalysis.means(table, columns: [0], names: ["y", "x"])
        #expect(means.terms == ["mean(y)"] && Self.close(means.variances[0], 2.5 / 5) && means.degreesOfFreedom == 4)
    }

    @Test("OLS refuses a constant predictor, collinear predictors, too few rows, a missing entry")
    func singular() throws {
        let constant = Matrix([[1, 2, 0], [2, 2, 1], [3, 2, 5], [4, 2, 2]])
        #expect(throws: PoolingError.singularDesign(terms: ["b"])) {
            try CompleteDataAnalysis.regression(constant, response: 0, predictors: [1, 2], names: ["y", "b", "c"])
        }
        let collinear = Matrix([[1, 1, 2], [2, 2, 4], [3, 5, 10], [4, 3, 6], [0, 1, 2]])
        #expect(throws: PoolingError.singularDesign(terms: ["b", "c"])) {
            try CompleteDataAnalysis.regression(collinear, response: 0, predictors: [1, 2], names: ["y", "b", "c"])
        }
        #expect(throws: PoolingError.tooFewRows(rows: 2, needed: 3)) { try OrdinaryLeastSquares(Matrix([[1, 2], [2, 3]]), response: 0, predictors: [1]) }
        #expect(throws: PoolingError.missingValue(row: 1, column: 1)) {
            try CompleteDataAnalysis.means(Matrix([[1, 2], [2, .nan]]), columns: [1])
        }
    }

    @Test("Formulas: names, backticks, no predictors; errors name the column or the fault")
    func formulas() throws {
        let columns = ["y", "x1", "my x"]
        #expect(try RegressionFormula(" y ~ x1 + `my x` ", columns: columns) == RegressionFormula(response: 0, predictors: [1, 2]))
        #expect(try RegressionFormula("x1 ~ 1", columns: columns).predictors == [])
        for bad in ["y x1", "y ~ x1 ~ x2", "y ~ x1 +", "y ~ z", "y ~ y", "y ~ x1 + x1"] {
            #expect(throws: RegressionFormula.ParseError.self) { try RegressionFormula(bad, columns: columns) }
        }
        #expect(throws: RegressionFormula.ParseError(description: #"unknown column "z" in the formula (the columns are "y", "x1", "my x")"#)) {
            try RegressionFormula("y ~ z", columns: columns)
        }
    }

    @Test("MICE draws: without parameter draws the chain is MICEImputer(samplePosterior: true) bit for bit; the proper draw differs")
    func miceDrawIsSampledChain() throws {
        let data = KNNImputerTests.randomTable(rows: 60, cols: 4, missingRate: 0.3, seed: 5)
        let model = try MICEImputer().fit(data)
        var random = RandomSource(seed: 11)
        let chain = try model.complete(data, shouldStop: nil) { _ in try model.sampledChain(data, random: &random) }.imputed
        #expect(chain == (try MICEImputer(configuration: MICEConfiguration(samplePosterior: true, seed: 11)).impute(data).imputed))
        var again = RandomSource(seed: 11)
        let proper = try model.draw(data, random: &again)
        let point = try model.transform(data).imputed
        #expect(proper != chain && proper != point)
        ImputerContract.expectCompletes(proper, data)
    }

    @Test("A posterior draw of a regression: weights with mean ŵ and covariance Σ·ν/(ν − 2), noise variance (1/α)·ν/(ν − 2)")
    func posteriorDraw() throws {
        // y = 1 + 2x + N(0, 1), 40 rows. σ̃² = (1/α)·ν/χ²_ν has mean (1/α)·ν/(ν − 2); w̃ − ŵ = √(σ̃²α)·L·z has
        // covariance Σ·E[σ̃²α] = Σ·ν/(ν − 2). 4,000 draws: bounds of 5 standard errors.
        var random = RandomSource(seed: 3)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<40 { let v = random.normal(); x.append(v); y.append(1 + 2 * v + random.normal()) }
        let model = BayesianRidge().fit(x: x, y: y, features: 1, posterior: true)
        let sigma = try #require(model.covariance)[0], nu = 38.0, inflation = nu / (nu - 2)
        var sum = 0.0, squares = 0.0, noise = 0.0
        let count = 4000
        for _ in 0..<count {
            let drawn = model.posteriorDraw(samples: 40, random: &random)
            let d = drawn.coefficients[0] - model.coefficients[0]
            sum += d; squares += d * d; noise += 1 / drawn.alpha
        }
        let variance = sigma * inflation
        #expect(abs(sum / Double(count)) < 5 * (variance / Double(count)).squareRoot())
        #expect(abs(squares / Double(count) / variance - 1) < 5 * (2.0 / Double(count)).squareRoot() + 0.05)
        #expect(abs(noise / Double(count) * model.alpha / inflation - 1) < 0.05)
    }

    @Test("Pooling from a model: a point imputer gives B = 0; MICE's draws give B > 0 and a wider interval")
    func fromModel() throws {
        let data = KNNImputerTests.randomTable(rows: 80, cols: 3, missingRate: 0.3, seed: 6)
        let mean = try MeanImputer().fit(data).pool(data, draws: 5, estimand: .means([0]))
        #expect(mean[0].between == 0)
        let mice = try MICEImputer().fit(data).pool(data, draws: 5, seed: 1, estimand: .regression(response: 0, predictors: [1, 2]))
        #expect(mice.map(\.term) == ["(Intercept)", "x2", "x3"])
        #expect(mice.allSatisfy { $0.between > 0 && $0.lower < $0.estimate && $0.estimate < $0.upper })
        #expect(throws: PoolingError.tooFewImputations(1)) { try MeanImputer().fit(data).pool(data, draws: 1, estimand: .means([0])) }
    }
}
