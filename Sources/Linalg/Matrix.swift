/// A dense row-major matrix of `Float`, with value semantics.
///
/// Element (i, j) lives at `storage[i * cols + j]`. Missing values in user
/// data are carried as `Float.nan`; the numerical kernels never see NaN.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The entries, row after row (`rows × cols` of them); `Float.nan` marks a missing entry.
    public var storage: [Float]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, shape needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from an array of equally long rows.
    public init(_ rowArrays: [[Float]]) {
        let cols = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: rowArrays.count, cols: cols, storage: rowArrays.flatMap { $0 })
    }

    /// Number of entries, `rows × cols`.
    public var count: Int { storage.count }

    /// The entry in row `row`, column `col` (both from 0).
    @inlinable
    public subscript(row: Int, col: Int) -> Float {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// Row `i` as an array (a copy).
    public func row(_ i: Int) -> [Float] {
        Array(storage[(i * cols)..<((i + 1) * cols)])
    }

    /// Column `j` as an array (a copy).
    public func column(_ j: Int) -> [Float] {
        (0..<rows).map { storage[$0 * cols + j] }
    }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        for (r, i) in indices.enumerated() {
            for j in 0..<cols { out.storage[r * cols + j] = storage[i * cols + j] }
        }
        return out
    }

    /// Rows `range`, as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, storage: Array(storage[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    /// The transpose (`cols × rows`).
    public var transposed: Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] } }
        return out
    }
}
