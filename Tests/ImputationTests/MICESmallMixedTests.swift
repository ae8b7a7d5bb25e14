import Imputation
import Linalg
import Testing

/// Issue 24, defect D: MICE on a small mixed table (two numeric columns up to about 29,000, two
/// one-hot categorical blocks). The Gram matrix of one-hot blocks that sum to a constant is
/// singular; dsyev returns its zero eigenvalues as noise of about ε·e_max, and dividing the
/// noise of Xᵀy by them gave weights of 1e50 and more, which the chained rounds fed back until
/// "MICE imputed -1.26e198". `BayesianRidge` now takes eigenvalues below its noise floor as zeros.
///
/// Truth: scikit-learn 1.9.1's `IterativeImputer(max_iter=10, random_state=0)` on the same
/// encoded table (`python3 scripts/mice_small_mixed.py`, which holds it).
@Suite struct MICESmallMixedTests {
    static let s: Float = 17801.20703125
    static let n = Float.nan
    static var table: Matrix {
        let (N, S) = (n, s)
        return Matrix(rows: 12, cols: 10, storage: [
            N, N, N, -15214.0, N, S, 0, 0, 0, 0,
            S, 0, 0, -18879.0, N, S, 0, 0, 0, 0,
            N, N, N, -2755.679932, 23661.830078, 0, S, 0, 0, 0,
            N, N, N, 11991.30957, 7115.0, 0, 0, S, 0, 0,
            0, S, 0, 11885.0, -28408.929688, 0, 0, 0, S, 0,
            N, N, N, -4624.0, N, N, N, N, N, N,
            N, N, N, N, 24598.960938, 0, S, 0, 0, 0,
            N, N, N, -24.09, -26341.0, 0, 0, 0, S, 0,
            0, 0, S, 27291.910156, 13980.019531, 0, 0, 0, 0, S,
            S, 0, 0, -15908.0, 984.869995, 0, S, 0, 0, 0,
            N, N, N, 28835.0, -5159.890137, 0, 0, S, 0, 0,
            N, N, N, N, N, S, 0, 0, 0, 0,
        ])
    }

    /// (row, column, scikit-learn's imputation) of every missing entry.
    static let sklearn: [(Int, Int, Double)] = [
        (0, 0, 19980.064313788993),
        (0, 1, -9732.184303845468),
        (0, 2, 7553.180619213407),
        (0, 4, 33173.10801873547),
        (1, 4, 4311.879051815243),
        (2, 0, 15801.621144359224),
        (2, 1, -6641.109277788754),
        (2, 2, 8640.56935574078),
        (3, 0, 6105.6325962289975),
        (3, 1, 2230.5831096676793),
        (3, 2, 9464.95454207921),
        (5, 0, 13195.322071700668),
        (5, 1, -1058.7032598566666),
        (5, 2, 5664.511356270658),
        (5, 4, 12056.098078505594),
        (5, 5, 5337.444657910663),
        (5, 6, 4911.528140426897),
        (5, 7, 3207.317854495688),
        (5, 8, 3564.623719829944),
        (5, 9, 780.2926585866189),
        (6, 0, 16950.901790945696),
        (6, 1, -7249.359266842422),
        (6, 2, 8099.537076240789),
        (6, 3, -5621.771848576909),
        (7, 0, 4553.820645670274),
        (7, 1, 15912.268291261364),
        (7, 2, -2664.879625862597),
        (10, 0, -1469.9624585358488),
        (10, 1, 8171.368348194284),
        (10, 2, 11099.807317699328),
        (11, 0, 18307.24005518962),
        (11, 1, -8417.722966003566),
        (11, 2, 7911.553070123748),
        (11, 3, -11497.408891128274),
        (11, 4, 30454.288347016532),
    ]

    @Test("D: every imputation finite and within 0.5 % of the table's largest value of scikit-learn's")
    func matchesScikitLearn() throws {
        let imputed = try MICEImputer().impute(Self.table).imputed
        #expect(Self.sklearn.count == Self.table.storage.filter(\.isNaN).count)
        for (i, j, want) in Self.sklearn {
            let got = Double(imputed[i, j])
            #expect(got.isFinite)
            // 0.005 × 28,835 ≈ 144: the two solve the same regressions by different factorizations
            // (our Gram eigenvectors, their SVD) of near-singular matrices; before the fix the
            // gap was 1e198.
            #expect(abs(got - want) <= 0.005 * 28835, "(\(i), \(j)): \(got), scikit-learn \(want)")
        }
    }

    @Test("D: the fitted model's regressions are finite, with λ ≥ 0: a model file reads them back")
    func fittedModelIsStorable() throws {
        let model = try MICEImputer().fit(Self.table)
        for steps in model.rounds {
            for step in steps {
                let m = step.model
                #expect(m.alpha > 0 && m.alpha.isFinite && m.lambda >= 0 && m.lambda.isFinite)
                #expect(m.intercept.isFinite && m.coefficients.allSatisfy(\.isFinite))
                #expect(m.coefficients.allSatisfy { abs($0) < 1e6 }, "no weight of 1e50")
            }
        }
    }
}
