import Evaluation
import Imputation
import Linalg

/// Multiple imputation with MICE the way scikit-learn's users do it: m independent chains of
/// `IterativeImputer(sample_posterior=True, random_state=k)`, here `MICEImputer` with
/// `samplePosterior` and seeds s, s + 1, …, s + m − 1 (s the case's mask seed). Each chain refits
/// its regressions on its own draws, so the m tables carry the regressions' uncertainty too.
enum MICEDraws {
    /// The m completed tables of case `c`.
    static func tables(_ c: ProtocolCase, draws m: Int, compute: ComputeContext) throws -> [Matrix] {
        precondition(m >= 1, "at least one draw")
        return try (1...m).map { k in
            var settings = ImputationMethod.Settings(seed: MultipleDraws.drawSeed(c.seed, draw: k), compute: compute)
            settings.mice.samplePosterior = true
            return try settings.miceImputer().impute(c.masked).imputed
        }
    }

    /// CRPS and the share of true values inside the draws' 5–95 % range (BENCHMARK.md).
    static func score(_ c: ProtocolCase, draws m: Int, compute: ComputeContext) throws -> (crps: Double, coverage90: Double) {
        let drawn = try tables(c, draws: m, compute: compute)
        return (Metrics.crps(draws: drawn, truth: c.truth, observed: c.observed),
                Metrics.coverage90(draws: drawn, truth: c.truth, observed: c.observed))
    }
}
