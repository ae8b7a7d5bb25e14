/// The check a newly selected OpenBLAS core must pass before it is used: sgemm against a plain
/// product in Double, in all four transpose cases, with alpha and beta not 0 or 1 and sizes that
/// leave partial tiles at every edge of the kernels' blocking.
enum BLASSelfCheck {
    /// `C ← alpha·op(A)·op(B) + beta·C`, row-major, as `cblas_sgemm` takes it.
    typealias Product = (_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                         _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                         _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void

    /// The transpose cases that failed (empty: all passed).
    static func failures(of product: Product) -> [(Transpose, Transpose)] {
        let m = 37, n = 45, k = 67, alpha: Float = 1.5, beta: Float = -0.5
        var random = RandomSource(seed: 0x5E1F_C4EC)
        var failed: [(Transpose, Transpose)] = []
        for (ta, tb) in [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed)] {
            // As stored: A is m×k (k×m transposed), B is k×n (n×k transposed).
            let (aRows, aCols) = ta == .none ? (m, k) : (k, m)
            let (bRows, bCols) = tb == .none ? (k, n) : (n, k)
            let a = (0..<(aRows * aCols)).map { _ in random.uniformFloat(in: -1, 1) }
            let b = (0..<(bRows * bCols)).map { _ in random.uniformFloat(in: -1, 1) }
            let c0 = (0..<(m * n)).map { _ in random.uniformFloat(in: -1, 1) }
            var c = c0
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        product(ta, tb, m, n, k, alpha, pa.baseAddress!, aCols, pb.baseAddress!, bCols, beta, pc.baseAddress!, n)
                    }
                }
            }
            var ok = true
            for i in 0..<m where ok {
                for j in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    for p in 0..<k {
                        let x = Double(ta == .none ? a[i * aCols + p] : a[p * aCols + i])
                        let y = Double(tb == .none ? b[p * bCols + j] : b[j * bCols + p])
                        sum += x * y
                        magnitude += abs(x * y)
                    }
                    let exact = Double(alpha) * sum + Double(beta) * Double(c0[i * n + j])
                    // Float rounding of a k-term sum: far below 1e-5 of the terms' magnitude.
                    let bound = 1e-5 * (Double(abs(alpha)) * magnitude + abs(Double(beta) * Double(c0[i * n + j]))) + 1e-30
                    let got = Double(c[i * n + j])
                    if !(abs(got - exact) <= bound) { ok = false; break }   // NaN fails too
                }
            }
            if !ok { failed.append((ta, tb)) }
        }
        return failed
    }
}
