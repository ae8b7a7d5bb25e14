import Evaluation
import Imputation
import Linalg
import Testing

private let nan = Float.nan

@Suite("kNN imputer (scikit-learn KNNImputer defaults)")
struct KNNImputerTests {
    /// d = 3. Column means of the observed entries: c0 (0+2+2+5)/4 = 2.25, c1 (0+1+5+3)/4 = 2.25,
    /// c2 (100+200+600)/3 = 300. Distances below are the scaled squared ones, Σ_S (a−b)² · 3/|S|.
    static let table = Matrix([
        [0, 0, nan],        // r0
        [2, nan, 100],      // r1
        [2, 1, 200],        // r2
        [5, 5, 600],        // r3
        [nan, nan, nan],    // r4: shares no column with anyone
        [nan, 3, nan],      // r5
    ])

    @Test("Hand-worked table with k = 2")
    func handWorkedK2() throws {
        let out = try KNNImputer(neighbors: 2).impute(Self.table).imputed
        // r0, c2. Donors observe c2: r1, r2, r3.
        //   r1: S = {c0}      (0−2)² = 4            · 3/1 = 12
        //   r2: S = {c0, c1}  (0−2)² + (0−1)² = 5   · 3/2 = 7.5
        //   r3: S = {c0, c1}  25 + 25 = 50          · 3/2 = 75
        // Nearest two: r2, r1 → (200 + 100) / 2 = 150.
        #expect(out[0, 2] == 150)
        // r1, c1. Donors observe c1: r0, r2, r3, r5.
        //   r0: S = {c0}      (2−0)² = 4                 · 3/1 = 12
        //   r2: S = {c0, c2}  0 + (100−200)² = 10000     · 3/2 = 15000
        //   r3: S = {c0, c2}  9 + (100−600)² = 250009    · 3/2 = 375013.5
        //   r5: S = ∅ → distance undefined, not a donor
        // Nearest two: r0, r2 → (0 + 1) / 2 = 0.5.
        #expect(out[1, 1] == 0.5)
        // r4 shares no column with any row: every entry falls back to its column mean.
        #expect(out.row(4) == [2.25, 2.25, 300])
        // r5, c0. Donors observe c0: r0 (S = {c1}: 9·3 = 27), r1 (S = ∅: none), r2 (4·3 = 12), r3 (4·3 = 12)
        //   → r2, r3 → (2 + 5) / 2 = 3.5.
        // r5, c2. Donors observe c2: r1 (S = ∅: none), r2 (12), r3 (12) → (200 + 600) / 2 = 400.
        #expect(out[5, 0] == 3.5)
        #expect(out[5, 2] == 400)
    }

    @Test("The d / |S| scaling decides: k = 1 picks r2 for (r0, c2)")
    func sharedCountScaling() throws {
        // Unscaled sums: r1 4 < r2 5 would give r1's 100. Scaled: r2 7.5 < r1 12 → 200.
        let out = try KNNImputer(neighbors: 1).impute(Self.table).imputed
        #expect(out[0, 2] == 200)
    }

    @Test("Ties go to the lower row index")
    func ties() throws {
        // (r5, c0) and (r5, c2): r2 and r3 are both at 12; k = 1 takes r2 (c0 = 2, c2 = 200), not r3 (5, 600).
        let out = try KNNImputer(neighbors: 1).impute(Self.table).imputed
        #expect(out[5, 0] == 2)
        #expect(out[5, 2] == 200)
    }

    @Test("Fewer donors than k: the mean over those that exist, not the column mean")
    func fewerDonors() throws {
        let out = try KNNImputer(neighbors: 5).impute(Self.table).imputed
        // (r0, c2): all three donors → (100 + 200 + 600) / 3 = 300.
        #expect(out[0, 2] == 300)
        // (r5, c2): r1 shares no column with r5, so only r2, r3 → 400. Counting r1 as a donor, or
        // falling back to the column mean, would both give 300.
        #expect(out[5, 2] == 400)
        // (r5, c0): r0, r2, r3 → (0 + 2 + 5) / 3.
        #expect(abs(out[5, 0] - 7.0 / 3) < 1e-6)
    }

    @Test("Column-mean fallback for one entry of a row whose other entry has donors")
    func partialFallback() throws {
        // c0 is observed only in rows 0 and 3, c1 only in rows 1 and 2: no two rows share a column.
        // Every missing entry falls back: c0 → (1 + 3) / 2 = 2, c1 → (5 + 7) / 2 = 6.
        // (Treating "no shared column" as distance 0 would give 5 for (r0, c1) with k = 1.)
        let data = Matrix([[1, nan], [nan, 5], [nan, 7], [3, nan]])
        let out = try KNNImputer(neighbors: 1).impute(data).imputed
        #expect(out == Matrix([[1, 6], [2, 5], [2, 7], [3, 6]]))
        // Adding row [4, 9] gives (r0, c1) a donor: S = {c0}, distance (1−4)²·2 = 18 → 9.
        let more = Matrix([[1, nan], [nan, 5], [nan, 7], [3, nan], [4, 9]])
        let out2 = try KNNImputer(neighbors: 1).impute(more).imputed
        #expect(out2[0, 1] == 9)
        #expect(out2[1, 0] == 4)                 // r1 (c1 = 5): donors for c0 sharing c1: only r4 → 4
    }

    @Test("Observed entries come back bit for bit, and nothing is NaN")
    func observedUntouched() throws {
        let data = Self.randomTable(rows: 50, cols: 4, missingRate: 0.3, seed: 11)
        ImputerContract.expectCompletes(try KNNImputer().impute(data).imputed, data)
    }

    @Test("Bad tables throw before any work")
    func validation() {
        #expect(throws: InputError.infinite(row: 1, column: 0)) {
            try KNNImputer().impute(Matrix([[1, nan], [.infinity, 2]]))
        }
        #expect(throws: InputError.columnWithoutObservations(column: 1)) {
            try KNNImputer().impute(Matrix([[1, nan], [2, nan]]))
        }
    }

    @Test("Blockwise results are identical for blockRows 1, 3 and automatic")
    func blockSizes() throws {
        let data = Self.randomTable(rows: 40, cols: 4, missingRate: 0.3, seed: 5)
        let automatic = try KNNImputer().impute(data).imputed
        #expect(try KNNImputer(blockRows: 1).impute(data).imputed == automatic)
        #expect(try KNNImputer(blockRows: 3).impute(data).imputed == automatic)
        #expect(automatic != (try MeanImputer().impute(data).imputed))
    }

    @Test("Equals a naive O(n²) reference on a random 60 × 5 table, 30 % missing", arguments: [1, 3, 5, 10])
    func matchesNaive(k: Int) throws {
        let data = Self.randomTable(rows: 60, cols: 5, missingRate: 0.3, seed: 7)
        Self.expectClose(try KNNImputer(neighbors: k).impute(data).imputed, naiveKNN(data, k: k))
    }

    @Test("Equals the reference with more than 32 columns (two words of observed bits per row)")
    func matchesNaiveWide() throws {
        let data = Self.randomTable(rows: 40, cols: 37, missingRate: 0.5, seed: 17)
        for blockRows in [2, nil] {
            Self.expectClose(try KNNImputer(neighbors: 4, blockRows: blockRows).impute(data).imputed,
                             naiveKNN(data, k: 4))
        }
    }

    @Test("Equals the reference where Float distances cancel (one column ~10⁶, groups of near-equal rows)")
    func matchesNaiveUnderCancellation() throws {
        // Column 0 is 10⁶·(i mod 3) plus noise of size 1: within a group the Float rounding of
        // a² + b² − 2ab (~10⁵) swamps the real differences (~1), so only the exact distances
        // pick the right neighbours.
        var data = Self.randomTable(rows: 60, cols: 5, missingRate: 0.3, seed: 9)
        for i in 0..<60 where !data[i, 0].isNaN { data[i, 0] += 1e6 * Float(i % 3) }
        for blockRows in [1, 7, nil] {
            Self.expectClose(try KNNImputer(neighbors: 3, blockRows: blockRows).impute(data).imputed,
                             naiveKNN(data, k: 3))
        }
    }

    @Test("Equals the reference at magnitudes where the Float GEMM overflows")
    func matchesNaiveHugeValues() throws {
        // Values ~10¹⁸–10¹⁹: squares pass 3.4·10³⁸, so P is +∞ in Float for many pairs (the exact
        // distances, in Double, are finite). Such rows must still be found as donors.
        var data = Self.randomTable(rows: 30, cols: 6, missingRate: 0.3, seed: 13)
        for k in 0..<data.count { data.storage[k] *= 3e18 }
        Self.expectClose(try KNNImputer(neighbors: 2).impute(data).imputed, naiveKNN(data, k: 2))
    }

    @Test("A donor whose Float bound overflows is still found")
    func overflowingBound() throws {
        // (r0, c1): the only donor is r1, S = {c0}: (6e18 − (−6e18))² · 6/1 = 8.64e38 — finite in
        // Double, beyond the largest Float (3.4e38) in the Float bound. Missing it would fall back
        // to the column mean (1 + 3)/2 = 2 instead of r1's 1.
        let data = Matrix([
            [6e18, nan, nan, nan, nan, nan],
            [-6e18, 1, 1, 1, 1, 1],
            [nan, 3, 3, 3, 3, 3],
        ])
        let out = try KNNImputer(neighbors: 1).impute(data).imputed
        #expect(out[0, 1] == 1)
        #expect(out[2, 0] == -6e18)     // r2's only donor for c0 is r1 (r0 shares no column with r2)
    }

    // MARK: - Helpers

    static func expectClose(_ a: Matrix, _ b: Matrix, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.rows == b.rows && a.cols == b.cols, sourceLocation: sourceLocation)
        // Written so that NaN fails (a NaN difference is never ≤ the tolerance).
        let far = a.storage.indices.filter { k in
            !(abs(a.storage[k] - b.storage[k]) <= 1e-6 * max(1, abs(b.storage[k])))
        }
        let differing = far.count
        #expect(differing == 0, "first differing entry: \(far.first.map { "\($0): \(a.storage[$0]) vs \(b.storage[$0])" } ?? "-")",
                sourceLocation: sourceLocation)
    }

    /// Correlated columns (a shared latent factor plus noise), then an MCAR mask.
    static func randomTable(rows: Int, cols: Int, missingRate: Double, seed: UInt64) -> Matrix {
        var random = RandomSource(seed: seed)
        var data = Matrix(rows: rows, cols: cols)
        for i in 0..<rows {
            let z = random.normal()
            for j in 0..<cols { data[i, j] = Float(z * Double(j + 1) + 0.5 * random.normal()) }
        }
        return MCARMask.apply(data, rate: missingRate, seed: seed).masked
    }
}

/// kNN imputation written straight from the definition, O(n²·d) in Double: for each missing
/// (i, j), every row r ≠ i observing j and sharing a column with i, at Σ_S (a − b)² / |S| · d;
/// sort by (distance, row); mean of the first k values of column j; column mean if none.
func naiveKNN(_ x: Matrix, k: Int) -> Matrix {
    let n = x.rows, d = x.cols
    let means = (0..<d).map { j -> Double in
        let values = x.column(j).filter { !$0.isNaN }.map(Double.init)
        return values.reduce(0, +) / Double(values.count)
    }
    var out = x
    for i in 0..<n {
        for j in 0..<d where x[i, j].isNaN {
            var donors: [(distance: Double, row: Int)] = []
            for r in 0..<n where r != i && !x[r, j].isNaN {
                var sum = 0.0, shared = 0
                for p in 0..<d where !x[i, p].isNaN && !x[r, p].isNaN {
                    let diff = Double(x[i, p]) - Double(x[r, p])
                    sum += diff * diff
                    shared += 1
                }
                if shared > 0 { donors.append((sum / Double(shared) * Double(d), r)) }
            }
            donors.sort { ($0.distance, $0.row) < ($1.distance, $1.row) }
            let chosen = donors.prefix(k)
            out[i, j] = chosen.isEmpty ? Float(means[j])
                : Float(chosen.reduce(0.0) { $0 + Double(x[$1.row, j]) } / Double(chosen.count))
        }
    }
    return out
}
