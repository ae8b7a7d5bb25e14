import Foundation
import Linalg

/// A table with a known truth, built in code, for `miri demo`.
struct DemoDataset {
    /// A short name for files ("two-moons").
    var slug: String
    /// A title for tables and plots.
    var title: String
    var columns: [String]
    /// The complete table (no NaN).
    var truth: Matrix
}

/// The demo's two tables. Both come from one seeded `RandomSource`, so a seed fixes them.
enum DemoData {
    /// Two interleaved half circles (scikit-learn's `make_moons`), `n` points with Gaussian
    /// noise of standard deviation `noise` on each coordinate.
    ///
    /// Nonlinear and bimodal: for most x, the y of a point lies on one of two arcs, so a good
    /// imputer of y given x has to pick an arc; averaging neighbours lands between them.
    static func twoMoons(rows n: Int, noise: Double = 0.1, random: inout RandomSource) -> DemoDataset {
        var truth = Matrix(rows: n, cols: 2)
        for i in 0..<n {
            let t = Double.pi * random.uniform()
            let (x, y) = i % 2 == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
            truth[i, 0] = Float(x + noise * random.normal())
            truth[i, 1] = Float(y + noise * random.normal())
        }
        return DemoDataset(slug: "two-moons", title: "two moons", columns: ["x", "y"], truth: truth)
    }

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
    static func copula(rows n: Int, random: inout RandomSource) -> DemoDataset {
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
        return DemoDataset(slug: "copula", title: "copula table",
                           columns: ["gauss", "lognormal", "uniform", "square", "sine", "product"], truth: truth)
    }
}
