import Imputation
import Foundation
import Linalg

/// Tables with a known truth built in code: the demo's two moons and copula table, also
/// benchmark tables (`miri-bench quality --data synthetic`), so the pictures a user sees and
/// the figures the benchmark reports come from the very same rows.
package enum SyntheticTables {
    /// The seed of the demo's table stream for a run seed: the tables draw from their own
    /// stream, so they share no draws with the mask (SplitMix64 of `seed`) or with MIRI.
    package static func stream(seed: UInt64) -> RandomSource {
        RandomSource(seed: seed ^ 0xD1B5_4A32_D192_ED03)
    }

    /// Two interleaved half circles (scikit-learn's `make_moons`), `n` points with Gaussian
    /// noise of standard deviation `noise` on each coordinate; columns x, y.
    ///
    /// Nonlinear and bimodal: for most x, the y of a point lies on one of two arcs, so a good
    /// imputer of y given x has to pick an arc; averaging neighbours lands between them.
    package static func twoMoons(rows n: Int, noise: Double = 0.1, random: inout RandomSource) -> Matrix {
        var truth = Matrix(rows: n, cols: 2)
        for i in 0..<n {
            let t = Double.pi * random.uniform()
            let (x, y) = i % 2 == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
            truth[i, 0] = Float(x + noise * random.normal())
            truth[i, 1] = Float(y + noise * random.normal())
        }
        return truth
    }

    package static let copulaColumns = ["gauss", "lognormal", "uniform", "square", "sine", "product"]

    /// Six columns with a Gaussian-copula core and nonlinear dependence (`n` rows).
    ///
    /// Latent g₁ = z₁, g₂ = 0.8 g₁ + 0.6 z₂, g₃ = 0.6 g₂ + 0.8 z₃ (z iid N(0, 1); each gₖ is
    /// N(0, 1), neighbours correlated 0.8 and 0.6). The columns transform them:
    ///
    ///     gauss     = g₁                        normal
    ///     lognormal = exp(0.6 g₂)               skewed, monotone in g₂
    ///     uniform   = Φ(g₃)                     uniform marginal (the copula itself)
    ///     square    = g₁² + 0.3 ε               depends on gauss, but is uncorrelated with it
    ///     sine      = sin(2 g₂) + 0.2 ε         non-monotone in lognormal
    ///     product   = g₁ g₃ + 0.3 ε             an interaction
    ///
    /// with ε fresh N(0, 1) noise per cell. Linear methods see little of `square` and `sine`;
    /// the missing cells are predictable only through these nonlinear links.
    package static func copula(rows n: Int, random: inout RandomSource) -> Matrix {
        var truth = Matrix(rows: n, cols: 6)
        for i in 0..<n {
            let z1 = random.normal(), z2 = random.normal(), z3 = random.normal()
            let g1 = z1, g2 = 0.8 * g1 + 0.6 * z2, g3 = 0.6 * g2 + 0.8 * z3
            let row = [
                g1,
                exp(0.6 * g2),
                0.5 * erfc(-g3 / 2.0.squareRoot()),
                g1 * g1 + 0.3 * random.normal(),
                sin(2 * g2) + 0.2 * random.normal(),
                g1 * g3 + 0.3 * random.normal(),
            ]
            for j in 0..<6 { truth[i, j] = Float(row[j]) }
        }
        return truth
    }
}
