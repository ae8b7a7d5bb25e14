import CBLAS

/// LAPACKE's `lapack_int`: a C macro Swift cannot import; `int32_t` in the LP64 LAPACKE linked here.
private typealias LAPACKInt = Int32

/// The eigen-decomposition A = Q·diag(values)·Qᵀ of a symmetric n×n matrix, in Double
/// (LAPACKE_dsyev, row-major).
///
/// Bayesian ridge regression needs the eigenvalues of XᵀX for its evidence updates (the effective
/// number of parameters γ = Σ α·eₖ / (λ + α·eₖ)); with the eigenvectors, every iteration's
/// solve of (XᵀX + c·I)·w = Xᵀy is a diagonal scaling in that basis.
package struct SymmetricEigen: Sendable {
    package let n: Int
    /// The eigenvalues, ascending.
    package let values: [Double]
    /// n×n row-major; column k (entries k, n + k, 2n + k, …) is the unit eigenvector of `values[k]`.
    package let vectors: [Double]

    /// Decomposes `matrix` (n×n row-major; only its upper triangle is read). Nil when LAPACK
    /// reports that the iteration failed to converge, or the input holds NaN or ±inf.
    package init?(symmetric matrix: [Double], n: Int) {
        precondition(n >= 1 && matrix.count == n * n, "a symmetric matrix needs n×n entries, n ≥ 1")
        if matrix.contains(where: { !$0.isFinite }) { return nil }
        BLASRuntime.ensureKernels()
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), LAPACKInt(n),
                              pa.baseAddress, LAPACKInt(n), pw.baseAddress)
            }
        }
        if info != 0 { return nil }
        self.n = n
        values = w
        vectors = a
    }

    /// Qᵀ·x: `x` in the eigenvector basis.
    package func toEigenbasis(_ x: [Double]) -> [Double] {
        precondition(x.count == n)
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n where x[i] != 0 {
            for k in 0..<n { out[k] += vectors[i * n + k] * x[i] }
        }
        return out
    }

    /// Q·y: back from the eigenvector basis.
    package func fromEigenbasis(_ y: [Double]) -> [Double] {
        precondition(y.count == n)
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for k in 0..<n { s += vectors[i * n + k] * y[k] }
            out[i] = s
        }
        return out
    }
}

/// The Cholesky factorisation A = L·Lᵀ of a symmetric positive definite n×n matrix, in Double
/// (LAPACKE_dpotrf / dpotrs / dpotri, row-major, lower triangle).
///
/// Failure is a value, not a trap: `init?` returns nil when A is not positive definite to working
/// precision (dpotrf's info > 0), so a caller with a singular or ill-conditioned normal matrix
/// can fall back to another method and say so.
package struct Cholesky: Sendable {
    package let n: Int
    /// L, n×n row-major; the strict upper triangle is zero.
    package let lower: [Double]

    /// Factors `matrix` (n×n row-major; only the lower triangle is read).
    package init?(factoring matrix: [Double], n: Int) {
        precondition(n >= 1 && matrix.count == n * n, "a matrix to factor needs n×n entries, n ≥ 1")
        if matrix.contains(where: { !$0.isFinite }) { return nil }
        BLASRuntime.ensureKernels()
        var a = matrix
        let info = a.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), LAPACKInt(n), pa.baseAddress, LAPACKInt(n))
        }
        if info != 0 { return nil }
        for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = 0 } }
        self.n = n
        lower = a
    }

    /// x with A·x = b (dpotrs on the stored factor).
    package func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == n, "right-hand side has \(b.count) entries, the matrix \(n) rows")
        var factor = lower
        var x = b
        let info = factor.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), LAPACKInt(n), 1,
                               pa.baseAddress, LAPACKInt(n), px.baseAddress, 1)
            }
        }
        // dpotrs only fails on invalid arguments, which the preconditions above exclude.
        precondition(info == 0, "LAPACKE_dpotrs rejected its arguments (info \(info))")
        return x
    }

    /// A⁻¹, n×n row-major, both triangles filled (dpotri on the stored factor).
    package func inverse() -> [Double] {
        var a = lower
        let info = a.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), LAPACKInt(n), pa.baseAddress, LAPACKInt(n))
        }
        // A factor with a zero on its diagonal cannot come out of a successful dpotrf.
        precondition(info == 0, "LAPACKE_dpotri failed (info \(info))")
        for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = a[j * n + i] } }
        return a
    }
}
