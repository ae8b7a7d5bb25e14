import CKernels

// The vector kernels of a training step and an ODE step besides the network's own (Kernels.swift):
// Adam and its weight average, the flow loss, the Euler update; each with its baseline Swift loop.

extension Kernels {
    /// Adam's per-step constants: β1, β2, ε, the bias-corrected step size lr/(1−β1ᵗ) and 1/√(1−β2ᵗ).
    package struct AdamStep: Sendable {
        public var beta1, beta2, epsilon, stepSize, invSqrtBias2: Float
        public init(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, invSqrtBias2: Float) {
            (self.beta1, self.beta2, self.epsilon, self.stepSize, self.invSqrtBias2) = (beta1, beta2, epsilon, stepSize, invSqrtBias2)
        }
    }

    /// One Adam update of `count` parameters, in PyTorch's arithmetic (see `Adam`):
    /// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − stepSize·m / (√v·invSqrtBias2 + ε);
    /// with `average`, then `movingAverage(average, of: p, decay:)` (fused into the same pass on
    /// the vector paths, same bits). Each element's result is independent of where a chunk starts.
    package static func adam(p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                            v: UnsafeMutablePointer<Float>, count: Int, step s: AdamStep,
                            average: UnsafeMutablePointer<Float>? = nil, decay: Float = 0, path: SIMDPath = .current) {
        switch path {
        case .avx512:
            miri_adam_avx512(p, g, m, v, average, count, s.beta1, s.beta2, s.stepSize, s.invSqrtBias2, s.epsilon, decay); return
        case .avx2:
            miri_adam_avx2(p, g, m, v, average, count, s.beta1, s.beta2, s.stepSize, s.invSqrtBias2, s.epsilon, decay); return
        case .baseline:
            baselineAdam(p: p, g: g, m: m, v: v, count: count, step: s)
            if let average { movingAverage(average, of: p, count: count, decay: decay, path: .baseline) }
        }
    }

    private static func baselineAdam(p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                                     v: UnsafeMutablePointer<Float>, count: Int, step s: AdamStep) {
        let b1 = s.beta1, b2 = s.beta2, eps = s.epsilon, stepSize = s.stepSize, invSqrtBias2 = s.invSqrtBias2
        var i = 0
        let end = count / width * width
        while i < end {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: Vector.self)
            let mv = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: Vector.self) + (1 - b1) * gv
            let vv = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: Vector.self) + (1 - b2) * gv * gv
            let pv = UnsafeRawPointer(p + i).loadUnaligned(as: Vector.self)
                - stepSize * mv / (squareRoot(vv) * invSqrtBias2 + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mv, as: Vector.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vv, as: Vector.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pv, as: Vector.self)
            i += width
        }
        while i < count {
            let gi = g[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            p[i] -= stepSize * m[i] / (v[i].squareRoot() * invSqrtBias2 + eps)
            i += 1
        }
    }

    /// `average ← decay·average + (1−decay)·p` over `count` values: the moving average of the iterates.
    package static func movingAverage(_ average: UnsafeMutablePointer<Float>, of p: UnsafePointer<Float>, count: Int,
                                     decay a: Float, path: SIMDPath = .current) {
        switch path {
        case .avx512: miri_average_avx512(average, p, count, a); return
        case .avx2: miri_average_avx2(average, p, count, a); return
        case .baseline: break
        }
        var k = 0
        let end = count / width * width
        while k < end {
            let av = a * UnsafeRawPointer(average + k).loadUnaligned(as: Vector.self)
                + (1 - a) * UnsafeRawPointer(p + k).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(average + k).storeBytes(of: av, as: Vector.self)
            k += width
        }
        while k < count {
            average[k] = a * average[k] + (1 - a) * p[k]
            k += 1
        }
    }

    /// The Euler update of the ODE: `x ← x + v·dt` where `observed` is 0; observed entries keep their bits.
    package static func maskedAxpy(_ x: UnsafeMutablePointer<Float>, adding v: UnsafePointer<Float>, times dt: Float,
                                  where observed: UnsafePointer<Float>, count: Int, path: SIMDPath = .current) {
        switch path {
        case .avx512: miri_masked_axpy_avx512(x, v, observed, count, dt); return
        case .avx2: miri_masked_axpy_avx2(x, v, observed, count, dt); return
        case .baseline: break
        }
        for k in 0..<count where observed[k] == 0 { x[k] += v[k] * dt }
    }
}

extension Kernels {
    /// The flow loss's pieces over `count` entries: d = (f − target)·mask, `gradient ← scale·d`,
    /// and Σ d² in Double (the vector paths add it up per lane, then the lanes in order).
    package static func maskedSquaredError(output f: UnsafePointer<Float>, target t: UnsafePointer<Float>,
                                          mask: UnsafePointer<Float>, count: Int, scale: Float,
                                          gradient g: UnsafeMutablePointer<Float>, path: SIMDPath = .current) -> Double {
        switch path {
        case .avx512: return miri_masked_squared_error_avx512(f, t, mask, g, count, scale)
        case .avx2: return miri_masked_squared_error_avx2(f, t, mask, g, count, scale)
        case .baseline:
            var sum: Double = 0
            for k in 0..<count {
                let diff = (f[k] - t[k]) * mask[k]
                sum += Double(diff * diff)
                g[k] = scale * diff
            }
            return sum
        }
    }
}

extension Kernels {
    /// Builds `count` rows of the rectified-flow minibatch in one pass: for batch row r, table row
    /// i = rows[r] of `x` (n × d), its partner row partner[i] and time t[r], with xt = t·x1 + (1−t)·x0,
    ///
    ///     input[r]  = [o ? x0 : xt, o ? x1 : xt, o, t]   (3d + 1 wide)
    ///     target[r] = x1 − x0,   missing[r] = o ? 0 : 1   (d wide)
    ///
    /// and returns the number of missing cells. Every path gives the same bits (no FMA in xt).
    package static func flowBatch(data x: UnsafePointer<Float>, observed o: UnsafePointer<Float>, rows: UnsafePointer<Int>,
                                 partner: UnsafePointer<Int>, times t: UnsafePointer<Float>, count: Int, columns d: Int,
                                 input: UnsafeMutablePointer<Float>, target: UnsafeMutablePointer<Float>,
                                 missing: UnsafeMutablePointer<Float>, path: SIMDPath = .current) -> Int {
        switch path {
        case .avx512: return miri_flow_batch_avx512(x, o, rows, partner, t, count, d, input, target, missing)
        case .avx2: return miri_flow_batch_avx2(x, o, rows, partner, t, count, d, input, target, missing)
        case .baseline: break
        }
        let width = 3 * d + 1
        var missingCount = 0
        for r in 0..<count {
            let i = rows[r], tr = t[r]
            let x0 = x + i * d, x1 = x + partner[i] * d, oi = o + i * d
            let row = input + r * width, tgt = target + r * d, miss = missing + r * d
            for j in 0..<d {
                let xt = tr * x1[j] + (1 - tr) * x0[j]
                let isObserved = oi[j] != 0
                row[j] = isObserved ? x0[j] : xt
                row[d + j] = isObserved ? x1[j] : xt
                row[2 * d + j] = oi[j]
                tgt[j] = x1[j] - x0[j]
                miss[j] = isObserved ? 0 : 1
                if !isObserved { missingCount += 1 }
            }
            row[3 * d] = tr
        }
        return missingCount
    }
}
