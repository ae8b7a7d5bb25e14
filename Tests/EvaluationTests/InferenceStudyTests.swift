import Evaluation
import Imputation
import Linalg
import Testing

/// The CI-sized inference check: mean imputation's interval must fail, MICE's proper draws pass.
@Suite("Inference: Rubin's intervals over simulated tables")
struct InferenceStudyTests {
    @Test("Setting A, n = 100, 400 simulations, m = 5: mean imputation's coverage of the mean of x < 0.80, MICE's ≥ 0.88")
    func meanFailsMICEPasses() throws {
        // 400 simulations: the Monte-Carlo s.e. of a coverage near either bound is ≤ √(0.2·0.8/400) = 0.02.
        let study = InferenceStudy(setting: .a, rows: 100, simulations: 400, draws: [5], seed: 1)
        let mean = try study.run(method: "mean", source: InferenceStudy.drawSource(.mean, settings: .init(compute: ComputeContext(threads: 1))))
        let mice = try study.run(method: "mice", source: InferenceStudy.drawSource(.mice, settings: .init(compute: ComputeContext(threads: 1))))
        func row(_ r: InferenceResult, _ name: String) throws -> InferenceResult.Row { try #require(r.results.first { $0.estimand == name }) }
        let meanOfX = try row(mean, "mean of x"), miceMeanOfX = try row(mice, "mean of x")
        #expect(meanOfX.coverageSE < 0.025 && miceMeanOfX.coverageSE < 0.02)
        #expect(meanOfX.coverage < 0.80, "mean imputation: \(meanOfX.coverage)")
        #expect(miceMeanOfX.coverage >= 0.88, "MICE: \(miceMeanOfX.coverage)")
        #expect(try row(mice, "slope of y on x").coverage >= 0.88)
        #expect(mice.results.allSatisfy { $0.pooled == 400 })
        // ESE against SE, worked by hand: the mean imputation of x leaves Q̄ the mean of the ~50
        // observed x, whose spread over simulations is 1/√50 = 0.141, while its s.e. believes the
        // 100 rows, half of them at the mean: √(49/99)/√100 = 0.070. MICE's proper draws agree with
        // themselves. 400 simulations: an ESE's relative error is about 1/√800 = 3.5 %.
        #expect(abs(meanOfX.empiricalSE / 0.1414 - 1) < 0.10, "mean ESE \(meanOfX.empiricalSE)")
        #expect(abs(meanOfX.modelSE / 0.0704 - 1) < 0.10, "mean SE \(meanOfX.modelSE)")
        #expect(abs(miceMeanOfX.empiricalSE / miceMeanOfX.modelSE - 1) < 0.15,
                "MICE ESE \(miceMeanOfX.empiricalSE), SE \(miceMeanOfX.modelSE)")
    }

    @Test("The exact sampler of setting B: 5–95 % ranges of 20 draws hold 81.5 % ± 4 % of the true values")
    func exactSamplerB() throws {
        // For independent draws from the true conditional law, a type-7 5–95 % range of 20 draws holds
        // a 21st draw with probability ≈ 0.815 (BENCHMARK.md); a wrong conditional law moves it.
        let study = InferenceStudy(setting: .b, rows: 500, simulations: 4, draws: [20], seed: 3)
        let exact = try study.run(method: "exact", source: study.exactSource())
        #expect(abs(exact.cellCoverage - 0.815) < 0.04, "\(exact.cellCoverage)")
    }

    @Test("Truths: a 10⁶-row sample agrees with the closed forms; C's intercept gives a 40 % rate")
    func truths() {
        for setting in InferenceSetting.allCases {
            let sampled = setting.truths(sampleSize: 1_000_000, seed: 5)
            for (s, e) in zip(sampled, setting.estimands) { #expect(abs(s - e.closedForm) < 0.01, "\(setting) \(e.name): \(s)") }
        }
        var random = RandomSource(seed: 9)
        var missing = 0, total = 0
        for _ in 0..<20 {
            let (_, masked) = InferenceSetting.c.simulate(rows: 1000, random: &random)
            missing += masked.column(0).filter(\.isNaN).count
            total += 1000
        }
        #expect(abs(Double(missing) / Double(total) - 0.4) < 0.01)
    }

    @Test("Bootstrap MIRI draws: observed cells kept, reproducible, and each draw's model differs from the one-model draws'")
    func bootstrapMIRIDraws() throws {
        var random = RandomSource(seed: 4)
        let (_, masked) = InferenceSetting.a.simulate(rows: 120, random: &random)
        var c = MIRIConfiguration.calibrated
        c.rounds = 2; c.stepsPerRound = 20; c.hiddenWidths = [16]; c.widensWithTable = false
        let compute = ComputeContext(threads: 1)
        let source = InferenceStudy.bootstrapMIRISource(configuration: c, compute: compute)
        let draws = try source(masked, 7, 3)
        #expect(draws.count == 3)
        for table in draws {
            #expect(!table.storage.contains { $0.isNaN })
            for k in 0..<masked.count where !masked.storage[k].isNaN { #expect(table.storage[k] == masked.storage[k]) }
        }
        #expect(try source(masked, 7, 3) == draws)
        var settings = ImputationMethod.Settings(compute: compute)
        settings.miri = c
        let oneModel = try InferenceStudy.drawSource(.miri, settings: settings)(masked, 7, 3)
        #expect(zip(draws, oneModel).allSatisfy { $0 != $1 })
    }
}
