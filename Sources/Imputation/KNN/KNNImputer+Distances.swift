import Linalg

/// One block of query rows against all n rows: the sgemm part of the kNN search.
///
/// Shapes (m = query rows in the block ≤ capacity, n rows, d columns), with a, b the centred rows
/// of a query and of a candidate donor and S the columns both observe:
///   left  m × 2d  [a², mask_a]         right   n × 2d  [mask_b, b²]   → P = Σ_S (a² + b²)   m × n
///   query m × d   a (0 where missing)  centred n × d                  → Q = Σ_S a·b         m × n
/// The squared sum over S is P − 2Q; with |S| from the mask bits, `lowerBound` turns them into
/// guaranteed lower bounds of the distances.
final class KNNDistanceBlock {
    let capacity: Int
    let table: KNNTable
    private let left: FloatBuffer, query: FloatBuffer
    /// m × n each: row b is query b against every row.
    let p: FloatBuffer, q: FloatBuffer

    init(capacity: Int, table: KNNTable) {
        let n = table.rows, d = table.cols
        self.capacity = capacity
        self.table = table
        left = FloatBuffer(count: capacity * 2 * d)
        query = FloatBuffer(count: capacity * d)
        p = FloatBuffer(count: capacity * n)
        q = FloatBuffer(count: capacity * n)
    }

    /// Fills P and Q for `queries` (row indices into `source`, at most `capacity` of them;
    /// `source` is centred on the donors' means).
    func compute(queries: ArraySlice<Int>, from source: KNNTable) {
        precondition(queries.count <= capacity, "block of \(queries.count) rows exceeds capacity \(capacity)")
        precondition(source.cols == table.cols)
        let m = queries.count, n = table.rows, d = table.cols
        let centered = source.centered.pointer, raw = source.raw.pointer
        for (b, i) in queries.enumerated() {
            for j in 0..<d {
                let a = centered[i * d + j]
                left.pointer[b * 2 * d + j] = a * a
                left.pointer[b * 2 * d + d + j] = raw[i * d + j].isNaN ? 0 : 1
                query.pointer[b * d + j] = a
            }
        }
        gemm(.none, .transposed, m: m, n: n, k: 2 * d, a: left.pointer, lda: 2 * d,
             b: table.right.pointer, ldb: 2 * d, c: p.pointer, ldc: n)
        gemm(.none, .transposed, m: m, n: n, k: d, a: query.pointer, lda: d,
             b: table.centered.pointer, ldb: d, c: q.pointer, ldc: n)
    }

    /// Relative slack ε of the Float distance estimate: |fl(P − 2Q) − Σ_S (a − b)²| ≤ ε·P.
    ///
    /// Why (u = 2⁻²⁴, γ_k = k·u/(1 − k·u), the bound of a k-term Float dot product in any
    /// summation order): P has error ≤ (γ_2d + u)·P (nonnegative terms, rounded squares); 2Q has
    /// error ≤ γ_d·P since 2|ab| ≤ a² + b²; rounding the centred values moves the squared sum
    /// by ≤ 4u·P; the subtraction P − 2Q ≤ 2P adds 2u·P. That is (3d + 7)·u·P to first order;
    /// (4d + 32)·u also covers the rounding of the bound's own arithmetic.
    static func slack(columns d: Int) -> Float { Float(4 * d + 32) * 0x1p-24 }

    /// Lower bounds of the scaled squared distances d/|S|·Σ_S (a − b)²: L = U · d / C (U: the
    /// lower bounds of the unscaled sums, `Kernels.unscaledKNNBound`), with
    /// +∞ where C = 0 (no shared column: never a donor), −∞ where U is NaN (the exact distance
    /// is then always computed) and an overflow to +∞ brought back to the largest Float (so the
    /// row still competes while fewer than k donors are known).
    @inline(__always)
    static func lowerBound(unscaled u: SIMD8<Float>, shared c: SIMD8<Float>, columns dim: Float) -> SIMD8<Float> {
        var lower = u * (dim / c)
        lower.replace(with: -.infinity, where: lower .!= lower)
        lower.replace(with: .greatestFiniteMagnitude, where: lower .== .infinity)
        lower.replace(with: .infinity, where: c .== 0)
        return lower
    }
}
