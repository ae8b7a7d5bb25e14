import CBLAS

/// Double-precision BLAS for the small regressions of MICE, where Float's 7 digits are too few
/// for normal equations (their condition number is the square of the data's).
package enum DoubleBLAS {
    /// AᵀA of the row-major `rows × cols` matrix `a` (row stride `cols`), both triangles filled:
    /// cols×cols row-major. One `cblas_dsyrk` (upper triangle), then mirrored.
    package static func gram(_ a: UnsafeBufferPointer<Double>, rows: Int, cols: Int) -> [Double] {
        precondition(rows >= 0 && cols >= 1 && a.count >= rows * cols, "gram: \(a.count) values for \(rows)×\(cols)")
        var g = [Double](repeating: 0, count: cols * cols)
        if rows == 0 { return g }
        BLASRuntime.ensureKernels()
        g.withUnsafeMutableBufferPointer { pg in
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(cols), blasint(rows),
                        1, a.baseAddress, blasint(cols), 0, pg.baseAddress, blasint(cols))
        }
        for i in 0..<cols { for j in 0..<i { g[i * cols + j] = g[j * cols + i] } }
        return g
    }

    /// The same AᵀA by a plain triple loop: the reference `gram` is tested against.
    package static func naiveGram(_ a: [Double], rows: Int, cols: Int) -> [Double] {
        var g = [Double](repeating: 0, count: cols * cols)
        for i in 0..<cols {
            for j in 0..<cols {
                var s = 0.0
                for r in 0..<rows { s += a[r * cols + i] * a[r * cols + j] }
                g[i * cols + j] = s
            }
        }
        return g
    }
}
