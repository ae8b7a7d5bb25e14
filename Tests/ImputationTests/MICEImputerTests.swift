import Evaluation
import Testing
@testable import Imputation
import Linalg
import TestSupport

private let nan = Float.nan

/// Reference imputations from scikit-learn 1.9.1 (numpy 2.4.6):
///
///     import numpy as np
///     from sklearn.experimental import enable_iterative_imputer
///     from sklearn.impute import IterativeImputer
///     imp = IterativeImputer(max_iter=10, random_state=0)
///     out = imp.fit_transform(T)          # T as in each test, np.nan for missing
///     print(imp.n_iter_, [repr(out[i, j]) for i, j in zip(*np.where(np.isnan(T)))])
@Suite("MICE imputer (scikit-learn IterativeImputer defaults)")
struct MICEImputerTests {
    static func expectImputations(_ out: Matrix, _ expected: [(Int, Int, Double)], relative: Double = 2e-6,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, j, want) in expected {
            let got = Double(out[i, j])
            #expect(abs(got - want) <= relative * max(abs(want), 1), "(\(i), \(j)): \(got), scikit-learn \(want)",
                    sourceLocation: sourceLocation)
        }
    }

    /// 10 × 4, one missing entry per incomplete row; scikit-learn stops after round 6.
    static let table = Matrix([
        [1.0, 2.0, 0.5, 3.0],
        [2.0, nan, 1.5, 2.5],
        [3.0, 5.0, nan, 4.0],
        [nan, 7.5, 2.0, 5.5],
        [5.0, 9.0, 3.5, nan],
        [6.0, 12.0, nan, 7.0],
        [7.0, 13.0, 4.0, 8.5],
        [nan, 16.5, 5.5, 9.0],
        [9.0, nan, 6.0, 10.5],
        [10.0, 20.0, 6.5, nan],
    ])

    @Test("A 10 × 4 table: every imputation and the round count as scikit-learn's")
    func matchesScikitLearn() throws {
        let (model, out) = try MICEImputer().fitAndImpute(Self.table)
        Self.expectImputations(out, [(1, 1, 3.0487025168367046), (2, 2, 1.780648872502265), (3, 0, 3.8957290600961385),
                                     (4, 3, 5.375106071723513), (5, 2, 4.06188275691693), (7, 0, 8.285577997595162),
                                     (8, 1, 18.507325768933804), (9, 3, 11.075024806043977)])
        #expect(model.roundsRun == 6 && model.converged)
        #expect(try MICEImputer().impute(Self.table).imputed == out)
    }

    @Test("The early stop sums each row's changes (numpy's matrix ∞-norm), as scikit-learn's code does")
    func stoppingRuleIsRowSums() throws {
        // Rows 2 and 8 miss two entries each. Tolerance 1e-3 · max|observed| = 3.25e-3: the largest
        // single change falls below it after round 4, the largest row sum only after round 5, and
        // scikit-learn runs 5 rounds (n_iter_ = 5).
        let t = Matrix([
            [-1.0, nan, 0.75], [-0.25, -1.25, 0], [nan, nan, 0], [0.75, nan, -0.25], [-1.0, -3.25, 1.25], [-0.5, -0.25, -0.25],
            [0.25, 0.5, -0.25], [nan, 0.25, -0.25], [nan, nan, 0], [-0.25, -0.5, 0.25], [-1.5, -2.75, 1.5], [-0.5, -0.75, 0.5],
        ])
        let (model, out) = try MICEImputer().fitAndImpute(t)
        #expect(model.roundsRun == 5)
        Self.expectImputations(out, [(0, 1, -1.883800855549183), (2, 0, -0.126659382292457), (2, 1, -0.35570982239738524),
                                     (3, 1, 0.5966138996605351), (7, 0, 0.12758174640127734), (8, 0, -0.126659382292457),
                                     (8, 1, -0.35570982239738524)])
        // The rule itself: the largest row sum of |X_t − X_{t−1}|, not the largest entry.
        let chain = MICEChain(Matrix([[nan, nan], [1, 2]]), fill: [0, 0])
        #expect(chain.change(since: [0.3, -0.4, 1, 2]) == 0.7)
    }

    @Test("Columns are visited fewest-missing first, ties by index; complete columns only when fitting")
    func visitingOrder() {
        #expect(MICEChain.ascendingOrder(missingCounts: [3, 1, 0, 1], includingComplete: false) == [1, 3, 0])
        #expect(MICEChain.ascendingOrder(missingCounts: [3, 1, 0, 1], includingComplete: true) == [2, 1, 3, 0])
    }

    @Test("An exact linear relation c = 2a − 3b + 1 is recovered to 1e-4 beside a noise column")
    func exactRelation() throws {
        var random = RandomSource(seed: 21)
        var rows: [[Float]] = []
        for i in 0..<200 {
            let a = Float(random.normal()), b = Float(random.normal())
            let c = 2 * a - 3 * b + 1
            rows.append([a, b, i % 3 == 0 ? nan : c, i % 4 == 1 ? nan : Float(random.normal())])
        }
        let data = Matrix(rows)
        let out = try MICEImputer().impute(data).imputed
        var worst: Float = 0
        for i in stride(from: 0, to: 200, by: 3) { worst = max(worst, abs(out[i, 2] - (2 * out[i, 0] - 3 * out[i, 1] + 1))) }
        #expect(worst < 1e-4)
    }

    @Test("Observed entries come back bit for bit, nothing is NaN, with and without posterior sampling")
    func observedUntouched() throws {
        let data = KNNImputerTests.randomTable(rows: 80, cols: 5, missingRate: 0.35, seed: 3)
        for configuration in [MICEConfiguration(), MICEConfiguration(samplePosterior: true, seed: 9)] {
            ImputerContract.expectCompletes(try MICEImputer(configuration: configuration).impute(data).imputed, data)
        }
    }

    @Test("Bad tables throw what the other imputers throw, before any work")
    func validation() {
        for imputer in [MICEImputer(), MICEImputer(configuration: MICEConfiguration(samplePosterior: true))] {
            #expect(throws: InputError.infinite(row: 1, column: 0)) { try imputer.impute(Matrix([[1, nan], [.infinity, 2]])) }
            #expect(throws: InputError.columnWithoutObservations(column: 1)) { try imputer.impute(Matrix([[1, nan], [2, nan]])) }
            #expect(throws: InputError.empty) { try imputer.impute(Matrix(rows: 0, cols: 3)) }
            #expect(throws: InputError.infinite(row: 1, column: 0)) { try imputer.fit(Matrix([[1, nan], [-.infinity, 2]])) }
        }
    }

    @Test("Deterministic by seed: draws repeat with the seed and change with it; the point imputation ignores it")
    func determinism() throws {
        let data = KNNImputerTests.randomTable(rows: 60, cols: 4, missingRate: 0.3, seed: 12)
        let drawn = { (seed: UInt64) in try MICEImputer(configuration: MICEConfiguration(samplePosterior: true, seed: seed)).impute(data).imputed }
        #expect(try drawn(5) == drawn(5))
        #expect(try drawn(5) != drawn(6))
        let point = { (seed: UInt64) in try MICEImputer(configuration: MICEConfiguration(seed: seed)).impute(data).imputed }
        #expect(try point(5) == point(6))
        #expect(try drawn(5) != point(5))
    }

    @Test("An imputation beyond Float's range is an error naming the cell, not an infinite value")
    func outOfRange() throws {
        // y = a + b exactly on three rows (all of size 10³⁸, so the weights are of size 1 and the
        // ridge prior does not pull them to 0); a = b = 3·10³⁸ predicts 6·10³⁸ > 3.4·10³⁸.
        let data = Matrix([[1e38, 1e38, 2e38], [2e38, 0, 2e38], [0, 1e38, 1e38], [3e38, 3e38, nan]])
        do {
            _ = try MICEImputer().impute(data)
            Issue.record("no error")
        } catch let MICEError.outOfRange(row, column, value) {
            #expect(row == 3 && column == 2 && abs(value / 6e38 - 1) < 1e-6, "\(row), \(column): \(value)")
        }
    }

    @Test("One column: the mean fill, as scikit-learn returns for a single feature")
    func oneColumn() throws {
        let (model, out) = try MICEImputer().fitAndImpute(Matrix([[1], [nan], [5]]))
        #expect(out == Matrix([[1], [3], [5]]))
        #expect(model.roundsRun == 0)
        #expect(try model.transform(Matrix([[nan], [2]])).imputed == Matrix([[3], [2]]))
    }

    @Test("A constant column and a duplicated column: finite imputations, the constant's missing cells get the constant")
    func constantAndDuplicate() throws {
        var random = RandomSource(seed: 30)
        var rows: [[Float]] = []
        for _ in 0..<100 {
            let a = Float(random.normal())
            let miss = random.index(below: 5)
            var row: [Float] = [a, 7, a, a + Float(random.normal()) * 0.1]
            if miss < 4 { row[miss] = nan }
            rows.append(row)
        }
        let data = Matrix(rows)
        let out = try MICEImputer().impute(data).imputed
        #expect(!out.storage.contains { !$0.isFinite })
        for i in 0..<100 where data[i, 1].isNaN { #expect(abs(out[i, 1] - 7) < 1e-5) }
        // A missing duplicate is recovered from its twin (and the near-copy in column 3).
        for i in 0..<100 where data[i, 0].isNaN { #expect(abs(out[i, 0] - data[i, 2]) < 0.05) }
    }
}

/// MICE on shared tables under the benchmark protocol (standardize with full-data statistics in
/// Float, MCAR mask u < 0.4), against scikit-learn 1.9.1's `IterativeImputer(max_iter=10,
/// random_state=0)` on the same Float32-rounded table (`scripts/mice_sklearn.py --datasets
/// housing,solar`): its RMSE over the missing entries and its `n_iter_`.
@Suite("MICE on shared tables against scikit-learn")
struct MICESharedTableTests {
    struct Reference: Sendable, CustomStringConvertible {
        var table: String, seed: UInt64, rmse: Double, rounds: Int
        var description: String { "\(table) seed \(seed)" }
    }

    static let references = [
        // housing: tolerance met after 5 and 9 rounds, not at all on seed 3.
        Reference(table: "housing.csv", seed: 1, rmse: 0.7881681240592857, rounds: 5),
        Reference(table: "housing.csv", seed: 2, rmse: 0.8354634465498766, rounds: 9),
        Reference(table: "housing.csv", seed: 3, rmse: 0.8551113390848155, rounds: 10),
        // solar: one constant column (a zero eigenvalue in every regression that uses it).
        Reference(table: "solar.csv", seed: 1, rmse: 0.9710993505309725, rounds: 10),
    ]

    @Test("RMSE within 1e-5 relative and the same number of rounds", arguments: references)
    func matches(_ r: Reference) throws {
        let table = try SharedDatasets.requireDoubles(r.table)
        let raw = Matrix(rows: table.rows, cols: table.cols, storage: table.values.map { Float($0) })
        let truth = Standardization(fitting: raw).apply(raw)
        let (masked, observed) = MCARMask.apply(truth, rate: 0.4, seed: r.seed)
        let (model, imputed) = try MICEImputer().fitAndImpute(masked)
        #expect(model.roundsRun == r.rounds)
        #expect(!imputed.storage.contains { !$0.isFinite })
        let rmse = Metrics.rmse(imputed: imputed, truth: truth, observed: observed)
        #expect(abs(rmse / r.rmse - 1) < 1e-5, "RMSE \(rmse), scikit-learn \(r.rmse)")
    }
}
