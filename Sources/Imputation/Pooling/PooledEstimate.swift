/// One term pooled over m imputations with Rubin's rules (`RubinPooling`): what R's mice prints
/// in `summary(pool(fit))` and more.
public struct PooledEstimate: Sendable, Equatable, Codable {
    /// The term's name.
    public var term: String
    /// Imputations pooled, m.
    public var imputations: Int
    /// Q̄ = (1/m)·Σ Q̂ₗ, the pooled estimate.
    public var estimate: Double
    /// Ū = (1/m)·Σ Ûₗ, the within-imputation variance.
    public var within: Double
    /// B = Σ (Q̂ₗ − Q̄)² / (m − 1), the between-imputation variance.
    public var between: Double
    /// T = Ū + (1 + 1/m)·B, the total variance.
    public var total: Double
    /// r = (1 + 1/m)·B / Ū, the relative increase in variance due to nonresponse.
    public var relativeIncrease: Double
    /// λ = (1 + 1/m)·B / T, the proportion of the variance due to the missing data.
    public var lambda: Double
    /// γ = (r + 2/(ν + 3)) / (1 + r), the fraction of missing information (mice's `fmi`).
    public var fmi: Double
    /// The complete-data degrees of freedom ν_com the pooling was given.
    public var completeDataDF: Double
    /// ν, Barnard and Rubin's (1999) degrees of freedom (mice's `barnard.rubin`).
    public var df: Double
    /// √T.
    public var standardError: Double
    /// Q̄ / √T.
    public var statistic: Double
    /// P(|t_ν| ≥ |Q̄/√T|).
    public var pValue: Double
    /// The interval's level (0.95 for 95 %).
    public var level: Double
    /// Q̄ ∓ t_{ν, (1 + level)/2}·√T.
    public var lower: Double
    public var upper: Double
}
