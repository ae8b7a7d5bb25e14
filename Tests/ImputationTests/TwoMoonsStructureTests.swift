import Evaluation
import Testing
import Linalg
import Flow
import Imputation

/// The default preset on the demo's two moons must put imputed rows on the arcs, not between them.
@Suite("MIRI on two moons", .serialized)
struct TwoMoonsStructureTests {
    @Test("default preset: nearest-row ratio at most 1.5 (two moons, 2,000 rows, 40% MCAR)")
    func nearestRowRatio() throws {
        // The demo's table and mask (seed 0 stream, benchmark mask seed 1). Reference points:
        // measured with `miri-bench quality --data synthetic --datasets two-moons` (seeds 1–3),
        // a draw from the true conditional scores 1.0 by construction, the noise fill ≈ 3.7, the
        // preset before warm starts and chains 1.41 (seed 1). The bound 1.5 sits above the
        // preset's measured spread (docs/benchmarks.md), so a change that brings back the haze
        // between the arcs (ratio ≈ 1.8 in the issue's own measurement) fails here.
        var random = SyntheticTables.stream(seed: 0)
        let truth = SyntheticTables.twoMoons(rows: 2000, random: &random)
        let (masked, observed) = MCARMask.apply(truth, rate: 0.4, seed: 1)
        var configuration = MIRIConfiguration.fast
        configuration.seed = 1
        let imputed = try MIRIImputer(configuration: configuration).impute(masked).imputed
        let scale = Standardization(fitting: truth)
        let result = Metrics.nearestNeighbourRatio(imputed: scale.apply(imputed), truth: scale.apply(truth), observed: observed)
        let ratio = try #require(result.ratio)
        #expect(ratio <= 1.5, "nn_ratio \(ratio)")
        #expect(ratio >= 0.8, "nn_ratio \(ratio): below 0.8 the imputations copy rows rather than draw")
    }
}
