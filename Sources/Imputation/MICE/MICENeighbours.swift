import Linalg

/// scikit-learn's `n_nearest_features` for wide tables: each step regresses its column on k
/// other columns only, drawn without replacement with probability proportional to their absolute
/// correlation with it (clipped below at 1e-6, so every column can be drawn), from the table as
/// the initial mean fill leaves it. A new draw for every round and column, as scikit-learn's.
///
/// Why: with all d − 1 features each step decomposes a (d − 1) × (d − 1) matrix, so a round costs
/// about d⁴ and a fitted model stores R · d · (d − 1)² covariance entries; with k features a
/// round costs about d · k³ + d · k · d (the draws) and the model R · d · k². The draws of
/// round r and column j come from their own generator, seeded from the configuration's seed, r
/// and j: a fit stays reproducible, the posterior draws' stream is unchanged, and `impute`
/// (which skips complete columns) draws for each column what `fit` (which visits all) does, so
/// the two still complete the table bit for bit alike. The features are kept sorted (the regression
/// does not depend on their order; a sorted list is the model file's form).
struct MICENeighbours {
    let columns: Int
    let limit: Int
    /// |corr(a, b)| clipped to ≥ 1e-6, d × d row-major, 0 on the diagonal.
    private let weights: [Double]
    private let seed: UInt64

    /// Tag mixed into the seed of the feature draws ("neighbor").
    static let seedTag: UInt64 = 0x6E65_6967_6862_6F72

    /// Draws for the n × d table `x` (row-major), k = `limit` features per step (1 ≤ k < d − 1).
    init(_ x: [Double], rows n: Int, cols d: Int, limit k: Int, seed: UInt64) {
        precondition(k >= 1 && k < d - 1 && x.count == n * d, "a limit below the other columns' count")
        columns = d
        limit = k
        var centred = x
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += x[i * d + j] } }
        for j in 0..<d { means[j] /= Double(max(n, 1)) }
        for i in 0..<n { for j in 0..<d { centred[i * d + j] -= means[j] } }
        let g = centred.withUnsafeBufferPointer { DoubleBLAS.gram($0, rows: n, cols: d) }
        var w = [Double](repeating: 0, count: d * d)
        for a in 0..<d {
            for b in 0..<d where a != b {
                let r = abs(g[a * d + b]) / (g[a * d + a] * g[b * d + b]).squareRoot()
                w[a * d + b] = r.isFinite ? max(r, 1e-6) : 1e-6
            }
        }
        weights = w
        self.seed = seed ^ Self.seedTag
    }

    /// The k features of column `j`'s regression in round `round`, ascending.
    func draw(for j: Int, round: Int) -> [Int] {
        var random = RandomSource(seed: seed &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(j) &* 0xD1B5_4A32_D192_ED03)
        var w = Array(weights[(j * columns)..<((j + 1) * columns)])
        var chosen: [Int] = []
        chosen.reserveCapacity(limit)
        for _ in 0..<limit {
            let total = w.reduce(0, +)
            var u = random.uniform() * total
            var pick = -1
            for c in 0..<columns where w[c] > 0 {
                pick = c
                u -= w[c]
                if u < 0 { break }
            }
            chosen.append(pick)
            w[pick] = 0
        }
        return chosen.sorted()
    }
}
