import CKernels

// kNN's skip scan: the loop that decides, eight candidate rows at a time, which rows a query
// must look at. It runs once per query row over all n rows, so it is the kNN imputer's hot loop.

extension Kernels {
    /// Lower bounds of unscaled squared sums from the GEMM parts P = Σ_S (a² + b²), Q = Σ_S a·b:
    ///
    ///     U = max(P − 2Q, 0) − ε·P − τ      (τ = smallest normal Float, for underflow)
    ///
    /// NaN when P is not finite (Float overflow). Why ε·P bounds the error: `KNNDistanceBlock.slack`.
    @inline(__always)
    package static func unscaledKNNBound(p: Vector, q: Vector, slack eps: Float) -> Vector {
        var s = p - 2 * q
        s.replace(with: 0, where: s .< 0)
        return s - eps * p - Float.leastNormalMagnitude
    }

    /// From `start`, in groups of eight rows, the first full group r (r + 8 ≤ n) with a lane
    /// whose bound `scale`·U (`unscaledKNNBound` of p[r...], q[r...]) is below `threshold` or NaN;
    /// when every full group can be skipped, the start of the last partial group
    /// (n − (n − start) % 8, = n when there is none).
    ///
    /// The vector paths test 16 rows at once on AVX-512 and may fuse ε·P into an FMA, so their
    /// bounds can differ from this loop's in the last bit; the search stays exact on every path
    /// because a bound only lets a row be skipped, the exact distance decides (the tests check
    /// that every path returns the same groups on their data and the same donors).
    package static func firstKNNCandidate(p: UnsafePointer<Float>, q: UnsafePointer<Float>, from start: Int, count n: Int,
                                          slack eps: Float, scale: Float, threshold: Float, path: SIMDPath = .current) -> Int {
        switch path {
        case .avx512: return miri_knn_first_candidate_avx512(p, q, start, n, eps, scale, threshold)
        case .avx2: return miri_knn_first_candidate_avx2(p, q, start, n, eps, scale, threshold)
        case .baseline:
            var r = start
            while r + width <= n {
                let pv = UnsafeRawPointer(p + r).loadUnaligned(as: Vector.self)
                let qv = UnsafeRawPointer(q + r).loadUnaligned(as: Vector.self)
                if !all(unscaledKNNBound(p: pv, q: qv, slack: eps) * scale .>= threshold) { return r }
                r += width
            }
            return r
        }
    }
}
