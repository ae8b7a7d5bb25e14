import Linalg

/// The selection half of the kNN imputer: for each (query row, missing column), the k nearest
/// donors by exact distance, found with the GEMM lower bounds of `KNNDistanceBlock`.
///
/// One pass over the n rows per query row serves all its missing columns. Eight rows at a time
/// get their lower bounds L from P, Q and |S|; a row r is looked at for column j only when r observes
/// j and L[r] < T_j, the current k-th exact distance for j rounded up to Float (+∞ until k donors
/// are found). A skipped row has exact distance ≥ L[r] ≥ T_j ≥ the final k-th distance and
/// comes later in row order than the current k-th, so it could not be chosen (ties go to the
/// lower row index). A looked-at row gets its exact distance once, in Double from the raw values,
/// and enters the sorted top-k of each column it qualifies for.
struct KNNNeighborSearch {
    let table: KNNTable
    let neighbors: Int

    /// Imputes the missing entries of the block's `queries` (rows of `source`) into `output`
    /// (`source`'s shape, row-major). Query rows are split across the context's workers; each
    /// writes only its own rows.
    func impute(queries: ArraySlice<Int>, from source: KNNTable, block: KNNDistanceBlock,
                into output: UnsafeMutableBufferPointer<Float>) {
        let rows = Array(queries)
        let n = table.rows, d = table.cols
        Parallel.forEachChunk(count: rows.count, align: 1, minimumPerWorker: max(1, 65_536 / n)) { range in
            var query = KNNQuery(columns: d)
            var best = (0..<d).map { _ in KNNBest(capacity: neighbors) }
            var thresholds = [Float](repeating: .infinity, count: d)
            for b in range {
                let i = rows[b]
                query.load(row: i, from: source)
                findNearest(block: block, row: b, query: query, best: &best, thresholds: &thresholds)
                for t in 0..<query.missingCount {
                    let j = query.missingColumns[t]
                    output[i * d + j] = donorMean(column: j, best: best[t])
                }
            }
        }
    }

    /// Fills `best[t]` with the k nearest donors of `query` for its t-th missing column (fewer if
    /// fewer exist). `thresholds` is scratch of length d.
    ///
    /// Two tests per eight rows. The cheap one needs only P and Q: since |S| ≤ c_q (the query's
    /// observed count), L ≥ U·d/c_q whenever U ≥ 0, so eight rows with U·d/c_q ≥ every T_j are
    /// skipped at once (NaN never skips; nothing is skipped before every column has k donors);
    /// `Kernels.firstKNNCandidate` runs this test at the CPU's width up to the next group that fails it.
    /// Otherwise |S| comes from the mask bits and each row is tested with its own L.
    private func findNearest(block: KNNDistanceBlock, row b: Int, query: KNNQuery,
                             best: inout [KNNBest], thresholds: inout [Float]) {
        typealias V = SIMD8<Float>
        let n = table.rows, d = table.cols
        let pr = block.p.pointer + b * n, qr = block.q.pointer + b * n
        let missing = query.missingCount
        for t in 0..<missing { best[t].removeAll(); thresholds[t] = .infinity }
        if query.observedCount == 0 { return }        // shares no column with any row
        let eps = KNNDistanceBlock.slack(columns: d), dim = Float(d)
        let queryScale = dim / Float(query.observedCount)
        var loosest = Float.infinity                  // max over the missing columns of T_j
        table.maskWords.withUnsafeBufferPointer { words in
            var r = 0
            while r < n {
                // The groups of eight every row of which is skipped, at the CPU's vector width.
                if loosest < .infinity {
                    r = Kernels.firstKNNCandidate(p: pr, q: qr, from: r, count: n, slack: eps, scale: queryScale,
                                                  threshold: loosest)
                    if r >= n { break }
                }
                let lanes = min(V.scalarCount, n - r)
                var p = V(), q = V()
                if lanes == V.scalarCount {
                    p = UnsafeRawPointer(pr + r).loadUnaligned(as: V.self)
                    q = UnsafeRawPointer(qr + r).loadUnaligned(as: V.self)
                } else {
                    for l in 0..<lanes { p[l] = pr[r + l]; q[l] = qr[r + l] }
                }
                let unscaled = Kernels.unscaledKNNBound(p: p, q: q, slack: eps)   // a partial group is always looked at
                let shared = sharedCounts(at: r, lanes: lanes, words: words.baseAddress!, query: query)
                let lower = KNNDistanceBlock.lowerBound(unscaled: unscaled, shared: shared, columns: dim)
                for l in 0..<lanes where lower[l] < loosest {
                    consider(row: r + l, lower: lower[l], query: query, words: words.baseAddress!,
                             best: &best, thresholds: &thresholds, loosest: &loosest)
                }
                r += lanes
            }
        }
    }

    /// |S| for rows r ..< r + lanes: Σ_w popcount(query word w & row word w); 0 past `lanes`.
    @inline(__always)
    private func sharedCounts(at r: Int, lanes: Int, words: UnsafePointer<UInt32>, query: KNNQuery) -> SIMD8<Float> {
        let n = table.rows
        var shared = SIMD8<UInt32>()
        for w in 0..<table.wordsPerRow {
            let queryWord = query.maskWords[w]
            if lanes == 8 {
                let bits = UnsafeRawPointer(words + w * n + r).loadUnaligned(as: SIMD8<UInt32>.self)
                shared &+= (bits & queryWord).nonzeroBitCount
            } else {
                for l in 0..<lanes { shared[l] &+= UInt32((words[w * n + r + l] & queryWord).nonzeroBitCount) }
            }
        }
        return SIMD8<Float>(shared)
    }

    /// Row s passed the vector test: for each missing column it can donate to and whose threshold
    /// its bound beats, compute the exact distance (once) and offer it to that column's top-k.
    @inline(__always)
    private func consider(row s: Int, lower: Float, query: KNNQuery, words: UnsafePointer<UInt32>,
                          best: inout [KNNBest], thresholds: inout [Float], loosest: inout Float) {
        let n = table.rows
        var distance: Double? = nil
        for t in 0..<query.missingCount where lower < thresholds[t] {
            let j = query.missingColumns[t]             // row s must observe j (its bits are in cache)
            if words[(j / 32) * n + s] & (1 << UInt32(j % 32)) == 0 { continue }
            if distance == nil { distance = query.exactDistance(to: s, in: table) }
            guard let dist = distance else { return }
            if best[t].insert(dist, row: s) {
                thresholds[t] = best[t].kthDistanceRoundedUp
                loosest = thresholds[0..<query.missingCount].max()!
            }
        }
    }

    /// Uniform mean of column j over the chosen donors (summed in Double, nearest first);
    /// the column's observed mean when there is none.
    private func donorMean(column j: Int, best: KNNBest) -> Float {
        if best.count == 0 { return Float(table.means[j]) }
        let d = table.cols
        var sum = 0.0
        for t in 0..<best.count { sum += Double(table.raw.pointer[best.rows[t] * d + j]) }
        return Float(sum / Double(best.count))
    }
}

/// One query row, prepared for the search: its missing columns, and its observed columns with
/// their values in Double for exact distances.
struct KNNQuery {
    private(set) var observedColumns: [Int]
    private(set) var values: [Double]
    private(set) var observedCount = 0
    private(set) var missingColumns: [Int]
    private(set) var missingCount = 0
    /// Observed columns as bits, in the layout of `KNNTable.maskWords` (one word per 32 columns).
    private(set) var maskWords: [UInt32]
    let columns: Int

    init(columns d: Int) {
        columns = d
        observedColumns = [Int](repeating: 0, count: d)
        values = [Double](repeating: 0, count: d)
        missingColumns = [Int](repeating: 0, count: d)
        maskWords = [UInt32](repeating: 0, count: (d + 31) / 32)
    }

    mutating func load(row i: Int, from table: KNNTable) {
        observedCount = 0
        missingCount = 0
        for w in 0..<maskWords.count { maskWords[w] = 0 }
        for p in 0..<columns {
            let v = table.raw.pointer[i * columns + p]
            if v.isNaN {
                missingColumns[missingCount] = p
                missingCount += 1
            } else {
                observedColumns[observedCount] = p
                values[observedCount] = Double(v)
                observedCount += 1
                maskWords[p / 32] |= 1 << UInt32(p % 32)
            }
        }
    }

    /// The nan-Euclidean squared distance Σ_S (a − b)² / |S| · d to row r, in Double from the
    /// differences themselves (no cancellation), summed over S in column order; nil if S = ∅.
    /// The test suite's naive reference computes it the same way.
    func exactDistance(to r: Int, in table: KNNTable) -> Double? {
        let row = table.raw.pointer + r * columns
        var sum = 0.0, shared = 0
        for t in 0..<observedCount {
            let b = row[observedColumns[t]]
            if b.isNaN { continue }
            let diff = values[t] - Double(b)
            sum += diff * diff
            shared += 1
        }
        return shared == 0 ? nil : sum / Double(shared) * Double(columns)
    }
}

/// The k best donors so far, sorted by (distance, row) ascending.
struct KNNBest {
    let capacity: Int
    private(set) var distances: [Double]
    private(set) var rows: [Int]
    private(set) var count = 0

    init(capacity k: Int) {
        capacity = k
        distances = [Double](repeating: 0, count: k)
        rows = [Int](repeating: 0, count: k)
    }

    mutating func removeAll() { count = 0 }

    /// Inserts (distance, row) if it beats the current k-th; returns whether k donors are held.
    mutating func insert(_ distance: Double, row: Int) -> Bool {
        if count == capacity {
            let last = capacity - 1
            guard distance < distances[last] || (distance == distances[last] && row < rows[last]) else { return true }
            count -= 1
        }
        var t = count
        while t > 0 && (distances[t - 1] > distance || (distances[t - 1] == distance && rows[t - 1] > row)) {
            distances[t] = distances[t - 1]
            rows[t] = rows[t - 1]
            t -= 1
        }
        distances[t] = distance
        rows[t] = row
        count += 1
        return count == capacity
    }

    /// The k-th distance as a Float no smaller than it: the skip threshold of the scan.
    var kthDistanceRoundedUp: Float {
        let exact = distances[count - 1]
        let rounded = Float(exact)
        return Double(rounded) < exact ? rounded.nextUp : rounded
    }
}
