import CKernels

/// Elementwise kernels of the network, vectorised over `SIMD8<Float>`.
///
/// Each kernel has a plain scalar twin in `ReferenceKernels` that the tests compare it with.
/// Pointers never leave these functions. `path` picks the build that runs (`SIMDPath`): the Swift
/// loops here (baseline), or their C twins at the CPU's width (CKernels/kernels_body.h); the
/// default is the widest the CPU has, and the tests run every path the machine supports.
package enum Kernels {
    package typealias Vector = SIMD8<Float>
    static let width = Vector.scalarCount

    /// eˣ for each lane: Cephes' range reduction x = n·ln2 + r and a degree-6 polynomial;
    /// relative error below 3e-7 on [-87, 88], saturating (finite) outside it.
    ///
    /// Written for the code generator: rounding to n and building 2ⁿ use the "magic number"
    /// trick (adding 1.5·2²³ leaves round(x·log₂e) in the low mantissa bits), so there is no
    /// float→int conversion or rint call, which Swift's SIMD types lower to per-lane library calls.
    @inline(__always)
    package static func exp(_ x: Vector) -> Vector {
        let lo = Vector(repeating: -87.3), hi = Vector(repeating: 88.3)
        var xc = x.replacing(with: lo, where: x .< lo)
        xc = xc.replacing(with: hi, where: xc .> hi)
        let magic = Vector(repeating: 12_582_912)                 // 1.5·2²³
        let shifted = xc * 1.442_695_04 + magic
        let n = shifted - magic                                   // round(x·log₂e), ties to even
        var r = xc - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * r * r + r + 1
        // The integer n sits in the low bits of `shifted`; move it into the exponent field.
        let nBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = (nBits &+ 127) &* 8_388_608                   // (n + 127) << 23
        return p * unsafeBitCast(scale, to: Vector.self)
    }

    /// 1 / (1 + e⁻ᵛ), with e⁻ᵛ capped at e⁸⁷ so the result is never a subnormal Float: below
    /// v = −87 it stays 1.6e-38 instead of falling towards 0 through subnormals, each of which costs
    /// the CPU a microcode assist (measured: 20× slower SiLU on a block of large activations).
    @inline(__always)
    static func sigmoid(_ v: Vector) -> Vector {
        let e = -v
        return 1 / (1 + exp(e.replacing(with: 87, where: e .> 87)))
    }

    /// The scalar form of `sigmoid(_:)` for row tails.
    @inline(__always)
    static func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation_expf(Swift.min(-v, 87))) }

    /// √x for each lane of a non-negative vector, to within 2 ulp; 0 where x is 0 or negative.
    ///
    /// Swift on Linux lowers `SIMD8.squareRoot()` to eight `sqrtf` library calls (errno
    /// handling), which kept Adam scalar. This uses only vector arithmetic: the classic
    /// bit-level guess for 1/√x, three Newton steps (y ← y·(1.5 − 0.5·x·y²)), then √x = x·y.
    @inline(__always)
    package static func squareRoot(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        var y = unsafeBitCast(0x5F37_5A86 &- (bits &>> 1), to: Vector.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        let root = x * y
        return root.replacing(with: 0, where: x .<= 0)
    }

    /// Adds `bias` (length `cols`) to every row of `z` (rows × cols), then writes
    /// `sigma = sigmoid(z)` and `h = z · sigma` (SiLU). `z` keeps the pre-activation.
    package static func biasSiLU(z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                sigma: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                                rows: Int, cols: Int, path: SIMDPath = .current) {
        PhaseClock.measure(.elementwise) {
            let vecCols = cols / width * width
            Parallel.forEachChunk(count: rows, align: 1, minimumPerWorker: max(1, 16_384 / max(cols, 1))) { rowRange in
                let start = rowRange.lowerBound * cols, n = rowRange.count
                switch path {
                case .avx512: miri_bias_silu_avx512(z + start, bias, sigma + start, h + start, n, cols); return
                case .avx2: miri_bias_silu_avx2(z + start, bias, sigma + start, h + start, n, cols); return
                case .baseline: break
                }
                for i in rowRange {
                    let zr = z + i * cols, sr = sigma + i * cols, hr = h + i * cols
                    var j = 0
                    while j < vecCols {
                        let v = UnsafeRawPointer(zr + j).loadUnaligned(as: Vector.self)
                            + UnsafeRawPointer(bias + j).loadUnaligned(as: Vector.self)
                        let s = sigmoid(v)
                        UnsafeMutableRawPointer(zr + j).storeBytes(of: v, as: Vector.self)
                        UnsafeMutableRawPointer(sr + j).storeBytes(of: s, as: Vector.self)
                        UnsafeMutableRawPointer(hr + j).storeBytes(of: v * s, as: Vector.self)
                        j += width
                    }
                    while j < cols {
                        let v = zr[j] + bias[j]
                        let s = sigmoid(v)
                        zr[j] = v; sr[j] = s; hr[j] = v * s
                        j += 1
                    }
                }
            }
        }
    }

    /// Inference form of `biasSiLU`: `z ← silu(z + bias)` in place, keeping nothing for a backward
    /// pass (one read and one write per element instead of one read and three writes).
    /// Gives the same bits as `biasSiLU`'s `h`.
    package static func biasSiLUInPlace(_ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int,
                                       path: SIMDPath = .current) {
        PhaseClock.measure(.elementwise) {
            let vecCols = cols / width * width
            Parallel.forEachChunk(count: rows, align: 1, minimumPerWorker: max(1, 16_384 / max(cols, 1))) { rowRange in
                let start = rowRange.lowerBound * cols, n = rowRange.count
                switch path {
                case .avx512: miri_bias_silu_inplace_avx512(z + start, bias, n, cols); return
                case .avx2: miri_bias_silu_inplace_avx2(z + start, bias, n, cols); return
                case .baseline: break
                }
                for i in rowRange {
                    let zr = z + i * cols
                    var j = 0
                    while j < vecCols {
                        let v = UnsafeRawPointer(zr + j).loadUnaligned(as: Vector.self)
                            + UnsafeRawPointer(bias + j).loadUnaligned(as: Vector.self)
                        let s = sigmoid(v)
                        UnsafeMutableRawPointer(zr + j).storeBytes(of: v * s, as: Vector.self)
                        j += width
                    }
                    while j < cols {
                        let v = zr[j] + bias[j]
                        zr[j] = v * sigmoid(v)
                        j += 1
                    }
                }
            }
        }
    }

    /// Backward through SiLU in place: `g ← g · (σ + h·(1 − σ))`, the derivative of z·σ(z)
    /// written with the saved σ and h = z·σ.
    package static func siluBackward(gradient g: UnsafeMutablePointer<Float>, sigma: UnsafePointer<Float>,
                                    h: UnsafePointer<Float>, count: Int, path: SIMDPath = .current) {
        PhaseClock.measure(.elementwise) {
            Parallel.forEachChunk(count: count, align: 16, minimumPerWorker: 65_536) { range in
                let o = range.lowerBound
                switch path {
                case .avx512: miri_silu_backward_avx512(g + o, sigma + o, h + o, range.count); return
                case .avx2: miri_silu_backward_avx2(g + o, sigma + o, h + o, range.count); return
                case .baseline: break
                }
                var j = range.lowerBound
                let end = range.lowerBound + (range.count / width) * width
                while j < end {
                    let s = UnsafeRawPointer(sigma + j).loadUnaligned(as: Vector.self)
                    let hv = UnsafeRawPointer(h + j).loadUnaligned(as: Vector.self)
                    let gv = UnsafeRawPointer(g + j).loadUnaligned(as: Vector.self)
                    UnsafeMutableRawPointer(g + j).storeBytes(of: gv * (s + hv * (1 - s)), as: Vector.self)
                    j += width
                }
                while j < range.upperBound {
                    g[j] = g[j] * (sigma[j] + h[j] * (1 - sigma[j]))
                    j += 1
                }
            }
        }
    }

    /// Adds `bias` (length `cols`) to every row of `z`.
    package static func addBias(_ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int,
                               path: SIMDPath = .current) {
        PhaseClock.measure(.elementwise) {
            switch path {
            case .avx512: miri_add_bias_avx512(z, bias, rows, cols); return
            case .avx2: miri_add_bias_avx2(z, bias, rows, cols); return
            case .baseline: break
            }
            for i in 0..<rows {
                let zr = z + i * cols
                for j in 0..<cols { zr[j] += bias[j] }
            }
        }
    }

    /// `sums[j] += Σ_i g[i, j]`: the bias gradient of a layer.
    package static func accumulateColumnSums(_ g: UnsafePointer<Float>, rows: Int, cols: Int,
                                            into sums: UnsafeMutablePointer<Float>, path: SIMDPath = .current) {
        PhaseClock.measure(.elementwise) {
            switch path {
            case .avx512: miri_column_sums_avx512(g, rows, cols, sums); return
            case .avx2: miri_column_sums_avx2(g, rows, cols, sums); return
            case .baseline: break
            }
            let vecCols = cols / width * width
            for i in 0..<rows {
                let gr = g + i * cols
                var j = 0
                while j < vecCols {
                    let acc = UnsafeRawPointer(sums + j).loadUnaligned(as: Vector.self)
                        + UnsafeRawPointer(gr + j).loadUnaligned(as: Vector.self)
                    UnsafeMutableRawPointer(sums + j).storeBytes(of: acc, as: Vector.self)
                    j += width
                }
                while j < cols { sums[j] += gr[j]; j += 1 }
            }
        }
    }
}

import Foundation

@inline(__always)
func Foundation_expf(_ x: Float) -> Float { Foundation.exp(x) }

/// Scalar references for the kernels in `Kernels`, written for clarity; the tests compare against them.
package enum ReferenceKernels {
    package static func sigmoid(_ x: Float) -> Float { Float(1 / (1 + Foundation.exp(-Double(x)))) }
    package static func silu(_ x: Float) -> Float { x * sigmoid(x) }
    package static func siluDerivative(_ x: Float) -> Float {
        let s = Double(sigmoid(x)), xd = Double(x)
        return Float(s * (1 + xd * (1 - s)))
    }
}
