import Imputation
import Linalg
import TestSupport
import Testing

/// Issue 24, defect H: wide tables. Past `MICEConfiguration.automaticWidth` columns each
/// regression reads `automaticNearestFeatures` columns drawn by correlation (scikit-learn's
/// `n_nearest_features`), so a round costs about d · k³ instead of d⁴ and the model holds
/// R · d · k² covariance entries instead of R · d · (d − 1)².
@Suite struct MICEWideTests {
    @Test("H: a 6 × 300 table: every regression reads 32 columns, never its own; fit equals impute bit for bit; the model replays it")
    func wideTableUsesNearestFeatures() throws {
        let data = WideTables.factorTable(rows: 6, cols: 300, seed: 5)
        let imputer = MICEImputer()
        let (model, fitted) = try imputer.fitAndImpute(data)
        #expect(model.nearestFeatures == MICEConfiguration.automaticNearestFeatures)
        for steps in model.rounds {
            for step in steps {
                let features = try #require(step.features)
                #expect(features.count == 32 && Set(features).count == 32 && !features.contains(step.column))
                #expect(features.allSatisfy { (0..<300).contains($0) } && features == features.sorted())
                #expect(step.model.features == 32 && step.model.covariance?.count == 32 * 32)
            }
        }
        let imputed = try imputer.impute(data).imputed
        #expect(imputed.storage.map(\.bitPattern) == fitted.storage.map(\.bitPattern))
        #expect(try model.transform(data).imputed.storage.map(\.bitPattern) == fitted.storage.map(\.bitPattern))
        #expect(!fitted.storage.contains { !$0.isFinite })
    }

    @Test("Proper draws of a wide table whose columns are observed in fewer than d + 2 rows: finite, observed cells kept, seeds differ")
    func wideDrawsOnFewRows() throws {
        // 3 rows × 101 columns: every column is observed in at most 3 < 103 rows, so each step of a
        // draw falls back to the stored regression, which reads its 32 nearest features only.
        let data = WideTables.factorTable(rows: 3, cols: 101, seed: 7)
        let model = try MICEImputer().fit(data)
        #expect(model.nearestFeatures == 32)
        var randoms = [RandomSource(seed: 1), RandomSource(seed: 2)]
        let draws = try model.draws(data, randoms: &randoms)
        #expect(draws.count == 2)
        for draw in draws {
            for k in data.storage.indices {
                if data.storage[k].isNaN { #expect(draw.storage[k].isFinite) } else { #expect(draw.storage[k].bitPattern == data.storage[k].bitPattern) }
            }
        }
        #expect(draws[0] != draws[1])
        var one = RandomSource(seed: 3)
        #expect(try model.draw(data, random: &one).storage.allSatisfy(\.isFinite))
    }

    @Test("H: nearestFeatures of d − 1 or more is the unlimited fit, bit for bit; narrow tables are unchanged")
    func limitAtWidthIsUnlimited() throws {
        let data = WideTables.factorTable(rows: 8, cols: 12, seed: 3)
        let plain = try MICEImputer().fitAndImpute(data)
        let limited = try MICEImputer(configuration: MICEConfiguration(nearestFeatures: 11)).fitAndImpute(data)
        #expect(plain.model.nearestFeatures == nil && limited.model.nearestFeatures == nil)
        #expect(plain.imputed.storage.map(\.bitPattern) == limited.imputed.storage.map(\.bitPattern))
        let narrow = try MICEImputer(configuration: MICEConfiguration(nearestFeatures: 4)).fit(data)
        #expect(narrow.nearestFeatures == 4)
    }

    @Test("H: features are drawn by correlation: a column's five exact copies are drawn far more often than chance")
    func drawsFollowCorrelation() throws {
        // Column 0 and its copies 1...5 (the same values plus tiny offsets), then 194 independent columns.
        var random = RandomSource(seed: 11)
        let n = 30, d = 200
        var m = Matrix(rows: n, cols: d)
        for i in 0..<n {
            let base = random.uniform() * 10
            for j in 0..<d { m[i, j] = Float(j <= 5 ? base + Double(j) : random.uniform() * 10) }
        }
        for i in stride(from: 1, to: n, by: 3) { m[i, 0] = .nan }
        let model = try MICEImputer(configuration: MICEConfiguration(rounds: 10, tolerance: 0)).fit(m)
        let steps = model.rounds.flatMap { $0 }.filter { $0.column == 0 }
        #expect(steps.count == 10)
        let copies = steps.map { Set($0.features ?? []).intersection(1...5).count }
        // Drawn uniformly, 32 of the 199 other columns hold 5 · 32/199 ≈ 0.8 copies on average.
        // Weighted by |corr| (about 1 for a copy, about 0.15 for an independent column over 30
        // rows), a copy is drawn with probability about 0.7: about 3.5 copies per step, with a
        // standard deviation of the mean over 10 steps of about 0.3. 2.5 is 3 of those below.
        let mean = Double(copies.reduce(0, +)) / Double(copies.count)
        #expect(mean >= 2.5, "\(copies)")
    }
}
