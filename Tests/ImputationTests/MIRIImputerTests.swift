import Testing
import Linalg
import Flow
import Imputation

/// Synthetic tables with a known law, and helpers shared by the MIRI tests.
enum Synthetic {
    /// n rows of d equicorrelated standard normals: x_j = √ρ·z₀ + √(1−ρ)·z_j, so corr(x_i, x_j) = ρ.
    static func equicorrelated(rows n: Int, columns d: Int, rho: Double, seed: UInt64) -> Matrix {
        var random = RandomSource(seed: seed)
        var m = Matrix(rows: n, cols: d)
        for i in 0..<n {
            let shared = random.normal()
            for j in 0..<d { m[i, j] = Float(rho.squareRoot() * shared + (1 - rho).squareRoot() * random.normal()) }
        }
        return m
    }

    /// Blanks each entry with probability `rate`, never a whole row's worth of a column.
    static func mcar(_ truth: Matrix, rate: Double, seed: UInt64, columns: Set<Int>? = nil) -> Matrix {
        var random = RandomSource(seed: seed)
        var masked = truth
        for i in 0..<truth.rows {
            for j in 0..<truth.cols where columns?.contains(j) ?? true {
                if random.uniform() < rate { masked[i, j] = .nan }
            }
        }
        return masked
    }

    static func rmse(_ imputed: Matrix, _ truth: Matrix, _ masked: Matrix) -> Double {
        var s = 0.0, c = 0
        for k in 0..<masked.count where masked.storage[k].isNaN {
            let e = Double(imputed.storage[k] - truth.storage[k]); s += e * e; c += 1
        }
        return (s / Double(c)).squareRoot()
    }

    /// A small configuration that learns these tables in a few seconds.
    static let testConfiguration = MIRIConfiguration(
        rounds: 8, epochs: 40, batchSize: 100, odeSteps: 20, hiddenWidths: [64, 64], learningRate: 1e-3, seed: 1)
}

@Suite("MIRI imputer", .serialized)
struct MIRIImputerTests {
    @Test("beats mean imputation on a correlated Gaussian (d = 4, ρ = 0.9, 40% MCAR)")
    func beatsMean() throws {
        // Expected figures. With 40% MCAR, a missing entry sees m ~ Binomial(3, 0.6) other observed
        // columns. For equicorrelated ρ the conditional variance given m others is
        // 1 − mρ²/(1 + (m−1)ρ): 1, 0.190, 0.147, 0.132 for m = 0…3, with weights 0.064, 0.288,
        // 0.432, 0.216, so its mean is ≈ 0.211. The conditional mean would score RMSE ≈ √0.211 ≈ 0.46;
        // a draw from the conditional law scores √(2·0.211) ≈ 0.65; mean imputation ≈ 1.
        // Require MIRI's single draw below 0.85: far from mean's 1.0, with room above the ideal 0.65.
        let truth = Synthetic.equicorrelated(rows: 1000, columns: 4, rho: 0.9, seed: 3)
        let masked = Synthetic.mcar(truth, rate: 0.4, seed: 4)
        let mean = Synthetic.rmse(try MeanImputer().impute(masked).imputed, truth, masked)
        let (model, imputed) = try MIRIImputer(configuration: Synthetic.testConfiguration).fitAndImpute(masked)
        let miri = Synthetic.rmse(imputed, truth, masked)
        #expect(mean > 0.9)
        #expect(miri < 0.85, "MIRI RMSE \(miri), mean \(mean)")
        #expect(model.rounds.count == Synthetic.testConfiguration.rounds)
        #expect(model.rounds.allSatisfy { $0.meanLoss.isFinite })
    }

    @Test("draws the conditional law: slope ≈ 0.9 and residual variance ≈ 0.19 (bivariate, ρ = 0.9)")
    func conditionalLaw() throws {
        // Column 0 fully observed, column 1 missing in ~40% of 2000 rows (~800 values).
        // Under MCAR the fixed point samples x₁ | x₀ ~ N(0.9·x₀, 1 − 0.81 = 0.19).
        // Sampling error with ~800 points: slope sd ≈ √(0.19/800) ≈ 0.015, residual-variance
        // sd ≈ 0.19·√(2/800) ≈ 0.0095. Tolerances (slope ±0.08, variance 0.12…0.28) are about
        // 5 sd of sampling error plus the bias of a small network trained for seconds.
        let truth = Synthetic.equicorrelated(rows: 2000, columns: 2, rho: 0.9, seed: 5)
        let masked = Synthetic.mcar(truth, rate: 0.4, seed: 6, columns: [1])
        let imputed = try MIRIImputer(configuration: Synthetic.testConfiguration).impute(masked).imputed
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<masked.rows where masked[i, 1].isNaN {
            xs.append(Double(imputed[i, 0])); ys.append(Double(imputed[i, 1]))
        }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let slope = sxy / sxx
        let residualVariance = zip(xs, ys).reduce(0) { $0 + pow2($1.1 - my - slope * ($1.0 - mx)) } / Double(xs.count - 2)
        #expect(abs(slope - 0.9) < 0.08, "slope \(slope)")
        #expect(residualVariance > 0.12 && residualVariance < 0.28, "residual variance \(residualVariance)")
    }

    @Test("observed entries come back bit for bit, no NaN, same seed same output, other seed other output")
    func contract() throws {
        var truth = Synthetic.equicorrelated(rows: 120, columns: 3, rho: 0.5, seed: 7)
        for i in 0..<truth.rows { truth[i, 2] = truth[i, 2] * 1000 + 12345.678 }   // unscaled column
        let masked = Synthetic.mcar(truth, rate: 0.3, seed: 8)
        var config = Synthetic.testConfiguration
        config.rounds = 2; config.epochs = 3
        let a = try MIRIImputer(configuration: config).impute(masked).imputed
        let b = try MIRIImputer(configuration: config).impute(masked).imputed
        config.seed = 2
        let c = try MIRIImputer(configuration: config).impute(masked).imputed
        for k in 0..<masked.count {
            #expect(!a.storage[k].isNaN)
            if !masked.storage[k].isNaN { #expect(a.storage[k].bitPattern == masked.storage[k].bitPattern) }
        }
        #expect(a == b)
        #expect(a != c)
        // Imputations stay inside each column's observed range (the fast preset's clamp).
        for j in 0..<masked.cols {
            let seen = masked.column(j).filter { !$0.isNaN }
            let lo = seen.min()!, hi = seen.max()!, slack = 1e-5 * (hi - lo)   // un-standardizing rounds
            #expect(a.column(j).allSatisfy { $0 >= lo - slack && $0 <= hi + slack })
        }
    }

    @Test("a diverging run stops with an error naming the round")
    func divergenceGuard() throws {
        let truth = Synthetic.equicorrelated(rows: 200, columns: 3, rho: 0.5, seed: 9)
        let masked = Synthetic.mcar(truth, rate: 0.4, seed: 10)
        var config = Synthetic.testConfiguration
        config.learningRate = 1e30     // the first Adam step moves every weight by ~1e30
        config.rounds = 2; config.epochs = 2
        #expect {
            _ = try MIRIImputer(configuration: config).impute(masked)
        } throws: { error in
            guard case let MIRIError.diverged(round, _)? = error as? MIRIError else { return false }
            return round == 1 && "\(error)".contains("round 1") && "\(error)".contains("learning rate")
        }
    }

    @Test("bad tables are refused before any work")
    func badInput() {
        #expect(throws: InputError.infinite(row: 1, column: 0)) {
            try MIRIImputer().impute(Matrix([[1, .nan], [.infinity, 2], [3, 4]]))
        }
        #expect(throws: InputError.columnWithoutObservations(column: 1)) {
            try MIRIImputer().impute(Matrix([[1, .nan], [2, .nan]]))
        }
        #expect(throws: InputError.empty) { try MIRIImputer().impute(Matrix(rows: 0, cols: 3)) }
    }
}

private func pow2(_ x: Double) -> Double { x * x }
