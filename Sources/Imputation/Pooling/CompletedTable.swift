import Linalg

/// A completed table in Double, row-major (element (i, j) at `storage[i * cols + j]`): what the
/// complete-data analyses read. A `Matrix` of Floats widens to it exactly; numbers read from a
/// file's text keep the precision and range they were written with (an analysis of 1e9 plus a
/// little noise, or of 1e-300, must not be rounded to 32 bits first).
public struct CompletedTable: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major values; NaN marks a missing cell (refused by the analyses).
    public var storage: [Double]

    /// A table over existing row-major storage (`storage.count` must be `rows * cols`).
    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, shape needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A Float matrix, widened entry by entry.
    public init(_ matrix: Matrix) {
        self.init(rows: matrix.rows, cols: matrix.cols, storage: matrix.storage.map(Double.init))
    }

    /// Entry (i, j).
    @inline(__always) func value(_ i: Int, _ j: Int) -> Double { storage[i * cols + j] }
}
