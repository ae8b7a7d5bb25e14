import Foundation

/// Rubin's rules (Rubin 1987; van Buuren, *Flexible Imputation of Missing Data*, §2.3): m
/// analyses of m completed tables become one estimate per term with a variance that counts the
/// missing data's uncertainty.
///
///     Q̄ = mean of the m estimates            Ū = mean of their variances
///     B = sample variance of the estimates   T = Ū + (1 + 1/m)·B
///     r = (1 + 1/m)·B / Ū                    λ = (1 + 1/m)·B / T
///     ν_old = (m − 1) / λ²                   ν_obs = (ν_com + 1)/(ν_com + 3) · ν_com · (1 − λ)
///     ν = ν_old·ν_obs / (ν_old + ν_obs)      (Barnard & Rubin 1999; ν_old when ν_com = ∞)
///     fmi = (r + 2/(ν + 3)) / (1 + r)
///     interval Q̄ ± t_{ν, (1+level)/2}·√T,   p = P(|t_ν| ≥ |Q̄|/√T)
///
/// As in R's mice (`barnard.rubin`), λ is taken as at least 1e-4 inside ν (so B = 0 gives a
/// finite ν close to ν_obs rather than dividing by zero).
public enum RubinPooling {
    /// λ's floor inside the degrees of freedom (mice's).
    public static let lambdaFloor = 1e-4

    /// Pools `analyses` (one per imputation, at least 2, with the same terms) at `level`.
    /// ν_com is the smallest of the analyses' complete-data degrees of freedom.
    public static func pool(_ analyses: [CompleteDataEstimates], level: Double = 0.95) throws -> [PooledEstimate] {
        guard analyses.count >= 2 else { throw PoolingError.tooFewImputations(analyses.count) }
        guard level > 0 && level < 1 else { throw PoolingError.badLevel(level) }
        let terms = analyses[0].terms
        for (k, a) in analyses.enumerated() {
            if a.terms != terms { throw PoolingError.termsDiffer(imputation: k + 1) }
            for (i, term) in terms.enumerated() where !(a.estimates[i].isFinite && a.variances[i].isFinite && a.variances[i] >= 0) {
                throw PoolingError.invalidEstimate(term: term, imputation: k + 1)
            }
        }
        let dfCom = analyses.map(\.degreesOfFreedom).min() ?? .infinity
        guard dfCom > 0 else { throw PoolingError.tooFewRows(rows: 1, needed: 2) }
        return try terms.indices.map { i in
            try pool(term: terms[i], estimates: analyses.map { $0.estimates[i] }, variances: analyses.map { $0.variances[i] },
                     completeDataDF: dfCom, level: level)
        }
    }

    /// One term: its m estimates and variances.
    public static func pool(term: String, estimates q: [Double], variances u: [Double], completeDataDF dfCom: Double,
                            level: Double = 0.95) throws -> PooledEstimate {
        let m = q.count
        guard m >= 2 else { throw PoolingError.tooFewImputations(m) }
        precondition(u.count == m, "one variance per estimate")
        guard level > 0 && level < 1 else { throw PoolingError.badLevel(level) }
        let md = Double(m)
        let qbar = q.reduce(0, +) / md
        let ubar = u.reduce(0, +) / md
        let b = q.reduce(0) { $0 + ($1 - qbar) * ($1 - qbar) } / (md - 1)
        let inflation = 1 + 1 / md
        let t = ubar + inflation * b
        guard ubar > 0, t > 0 else { throw PoolingError.zeroVariance(term: term) }
        let r = inflation * b / ubar
        let lambda = inflation * b / t
        let nu = degreesOfFreedom(m: m, lambda: lambda, completeDataDF: dfCom)
        let fmi = (r + 2 / (nu + 3)) / (1 + r)
        let se = t.squareRoot()
        let statistic = qbar / se
        let half = StudentT.quantile((1 + level) / 2, degreesOfFreedom: nu) * se
        // Sums of squares of estimates near Double's limit overflow; refuse rather than print NaN.
        guard [qbar, ubar, b, t, r, lambda, nu, fmi, statistic, qbar - half, qbar + half].allSatisfy(\.isFinite) else {
            throw PoolingError.pooledOutOfRange(term: term)
        }
        return PooledEstimate(term: term, imputations: m, estimate: qbar, within: ubar, between: b, total: t,
                              relativeIncrease: r, lambda: lambda, fmi: fmi, completeDataDF: dfCom, df: nu,
                              standardError: se, statistic: statistic,
                              pValue: StudentT.twoSidedP(statistic, degreesOfFreedom: nu), level: level,
                              lower: qbar - half, upper: qbar + half)
    }

    /// Barnard and Rubin's ν for m imputations, λ and ν_com (λ floored at `lambdaFloor`).
    public static func degreesOfFreedom(m: Int, lambda: Double, completeDataDF dfCom: Double) -> Double {
        let l = max(lambda, lambdaFloor)
        let old = Double(m - 1) / (l * l)
        if dfCom.isInfinite { return old }
        let observed = (dfCom + 1) / (dfCom + 3) * dfCom * (1 - l)
        return old * observed / (old + observed)
    }
}
