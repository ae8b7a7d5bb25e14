import Linalg

/// k-nearest-neighbour imputation, as scikit-learn's `KNNImputer()` with its defaults
/// (uniform weights, "nan_euclidean" distance).
///
///     let result = try KNNImputer().impute(table)      // table: NaN marks missing
///
/// For a missing entry (i, j) the *donors* are the training rows r ≠ i that observe column j and
/// share at least one observed column with row i. Their distance to row i is the nan-Euclidean one, on the
/// raw (unstandardized) values, as in scikit-learn:
///
///     dist(i, r)² = Σ_{p ∈ S} (x_ip − x_rp)² / |S| · d,    S = columns observed in both rows.
///
/// The entry becomes the plain mean of column j over the k nearest donors (over all of them when
/// fewer than k exist) and, when there is no donor at all, the mean of column j's observed entries.
/// Observed entries are returned bit for bit.
///
/// Ties: donors at the same distance are taken in increasing row order. (scikit-learn leaves this
/// to `argpartition`, i.e. unspecified.)
///
/// How it stays fast and exact: the rows with a missing entry ("queries") are taken in blocks.
/// Per block, two sgemm calls against all n rows give, for every pair, P = Σ_S (a² + b²) and
/// Q = Σ_S a·b; |S| is a popcount of the two rows' observed bits (see `KNNDistanceBlock`).
/// In Float, P − 2Q loses everything below ≈ 10⁻⁶·P. On raw columns of very different scales
/// that exceeds the nearest distances (raw protein, one column ~10⁶ and one ~10⁻¹: 37 % of the
/// neighbour sets change). So the GEMMs only filter: the rounding bound of a Float dot product
/// makes them a guaranteed *lower bound* of each distance, and the search computes the exact
/// distance (Double, raw values) only for rows whose bound beats the current k-th (see
/// `KNNNeighborSearch`). The neighbours are those of the exact distances, whatever the block
/// size or the BLAS's rounding.
///
/// Memory: two `blockRows × n` Float buffers (≈ 32 MB with the automatic block size) plus O(n·d);
/// never n × n. The neighbour search of a block is split across the threads of `compute`; each
/// entry is computed independently, so the output does not depend on the thread count.
///
/// `fit` keeps the table as the donors (`FittedKNN`), which then complete any table with the
/// same columns; `impute` is fit-then-transform on one table.
public struct KNNImputer: Imputer {
    /// k, the number of donors averaged (scikit-learn's `n_neighbors`, default 5).
    public var neighbors: Int
    /// Query rows per distance block; `nil` picks `automaticBlockRows(rows:)`.
    public var blockRows: Int?
    /// Threads of the distance products and of the neighbour search.
    public var compute: ComputeContext

    /// "knn".
    public var name: String { "knn" }

    /// A kNN imputer averaging `neighbors` donors (at least 1), with distance blocks of
    /// `blockRows` query rows (nil: about 32 MB of buffers).
    public init(neighbors: Int = 5, blockRows: Int? = nil, compute: ComputeContext = .default) {
        precondition(neighbors >= 1, "kNN needs at least one neighbour, got \(neighbors)")
        precondition(blockRows.map { $0 >= 1 } ?? true, "blockRows must be at least 1")
        self.neighbors = neighbors
        self.blockRows = blockRows
        self.compute = compute
    }

    /// Bytes the distance buffers of one block may take when `blockRows` is nil.
    package static let automaticBlockBytes = 32 << 20

    /// The block size that keeps a block's two `blockRows × n` Float buffers near 32 MB.
    package static func automaticBlockRows(rows n: Int) -> Int {
        max(1, automaticBlockBytes / (2 * MemoryLayout<Float>.stride * max(n, 1)))
    }

    /// Keeps `data`'s rows as the donors (scikit-learn's `fit`, which stores the table).
    public func fit(_ data: Matrix) throws -> FittedKNN {
        _ = try MissingPattern(validating: data)
        return FittedKNN(donors: data, neighbors: neighbors, blockRows: blockRows, compute: compute)
    }
}

/// The training rows kept by `KNNImputer.fit`: each missing entry of a table it completes is
/// the mean of that column over the k nearest training rows that observe it (see `KNNImputer`).
/// On the training table itself that is `KNNImputer.impute`'s result (a row never donates to
/// its own missing entry, since it does not observe that column).
public struct FittedKNN: FittedImputer {
    /// The training table, NaN where missing: the donors.
    public let donors: Matrix
    /// k, the number of donors averaged.
    public let neighbors: Int
    /// Query rows per distance block; nil: automatic.
    public let blockRows: Int?
    /// The training table's column names, when it had a header.
    public var columnNames: [String]?
    /// Threads of the distance products and of the neighbour search.
    public var compute: ComputeContext

    /// A model averaging `neighbors` of the rows of `donors` (which every column must observe somewhere).
    public init(donors: Matrix, neighbors: Int = 5, blockRows: Int? = nil, columnNames: [String]? = nil,
                compute: ComputeContext = .default) {
        precondition(neighbors >= 1 && (blockRows.map { $0 >= 1 } ?? true))
        precondition(columnNames.map { $0.count == donors.cols } ?? true, "one name per column")
        self.donors = donors
        self.neighbors = neighbors
        self.blockRows = blockRows
        self.columnNames = columnNames
        self.compute = compute
    }

    /// Columns the model was fitted on.
    public var columns: Int { donors.cols }
    /// 0: kNN draws nothing.
    public var defaultSeed: UInt64 { 0 }
    /// Each row is completed from the donors alone.
    public var batchRowMultiple: Int { 1 }
    /// "knn: k neighbours".
    public var summary: String { "knn: \(neighbors) neighbours" }

    /// `data` with each missing entry the mean of its column over the k nearest donors; `random` is not used.
    public func transform(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> ImputationResult {
        try complete(data, shouldStop: shouldStop) { pattern in
            let table = KNNTable(donors)
            let source = KNNTable(data, centeredOn: table.means)
            let queries = (0..<data.rows).filter { i in (0..<data.cols).contains { !pattern.isObserved(i, $0) } }
            let perBlock = min(blockRows ?? KNNImputer.automaticBlockRows(rows: donors.rows), queries.count)
            let block = KNNDistanceBlock(capacity: perBlock, table: table)
            let search = KNNNeighborSearch(table: table, neighbors: neighbors)
            var out = data
            out.storage.withUnsafeMutableBufferPointer { output in
                for start in stride(from: 0, to: queries.count, by: perBlock) {
                    let rows = queries[start..<min(start + perBlock, queries.count)]
                    block.compute(queries: rows, from: source)
                    search.impute(queries: rows, from: source, block: block, into: output)
                }
            }
            return out
        }
    }
}

/// The whole table in the forms the kNN search reads, built once per `impute` call.
///
/// Shapes (n rows, d columns, W = ⌈d/32⌉): `raw`, `centered` n × d; `right` n × 2d;
/// `maskWords` W × n; `means` d.
final class KNNTable {
    let rows: Int, cols: Int
    /// The input as given (NaN = missing): donor values and exact distances come from here.
    let raw: FloatBuffer
    /// x − (column mean) where observed, 0 where missing. Distances are translation-invariant,
    /// so centring changes nothing but shrinks the Float rounding of the GEMMs.
    let centered: FloatBuffer
    /// Row r is [mask_r, centered_r²] (mask: 1 observed, 0 missing): the right operand of P.
    let right: FloatBuffer
    /// Observed columns as bits: bit (p mod 32) of word p / 32 of row r, stored word-major
    /// (word w of every row, then word w + 1) so eight rows load as one vector.
    /// |S| = Σ_w popcount(query word w & row word w).
    let maskWords: [UInt32]
    /// Words per row, ⌈d / 32⌉.
    let wordsPerRow: Int
    /// Mean of each column's observed entries: the fallback when an entry has no donor.
    let means: [Double]

    /// `data` centred on its own column means (the donors), or on `means` (rows to complete,
    /// centred on the donors' means so that differences are those of the raw values).
    init(_ data: Matrix, centeredOn means: [Double]? = nil) {
        let n = data.rows, d = data.cols
        rows = n
        cols = d
        wordsPerRow = (d + 31) / 32
        let means = means ?? Standardization(fitting: data).means
        self.means = means
        raw = FloatBuffer(data.storage)
        var centered = [Float](repeating: 0, count: n * d)
        var right = [Float](repeating: 0, count: n * 2 * d)
        var words = [UInt32](repeating: 0, count: wordsPerRow * n)
        for i in 0..<n {
            for p in 0..<d where !data[i, p].isNaN {
                let c = Float(Double(data[i, p]) - means[p])
                centered[i * d + p] = c
                right[i * 2 * d + p] = 1
                right[i * 2 * d + d + p] = c * c
                words[(p / 32) * n + i] |= 1 << UInt32(p % 32)
            }
        }
        self.centered = FloatBuffer(centered)
        self.right = FloatBuffer(right)
        maskWords = words
    }
}
