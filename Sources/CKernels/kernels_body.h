// The elementwise kernels, written once over VW-lane vectors (clang's ext_vector_type) and
// compiled twice: kernels_avx2.c (8 lanes, AVX2 + FMA) and kernels_avx512.c (16 lanes, AVX-512),
// each under a target pragma, so the default binary stays baseline x86-64 and only the CPU's
// own path runs. Same contracts as the Swift kernels in Kernels.swift (see there).
//
// Determinism: each function's arithmetic is fixed for its path (no reassociation; products and
// sums fuse into FMA by the pragma below, the same way on every run), and chunking stays in Swift.
// Row tails go through a zero-padded vector, so every element is computed by the same code.
#include "ckernels.h"
#include <string.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define NAME(base) CAT(base, CAT(_, SUFFIX))
#define HELPER(base) CAT(base, SUFFIX)

#pragma clang fp contract(fast)

typedef float HELPER(vf_) __attribute__((ext_vector_type(VW)));
typedef int32_t HELPER(vi_) __attribute__((ext_vector_type(VW)));
#define VF HELPER(vf_)
#define VI HELPER(vi_)
#define INLINE static inline __attribute__((always_inline))

INLINE VF HELPER(load_)(const float *p) { VF v; memcpy(&v, p, sizeof v); return v; }
INLINE void HELPER(store_)(float *p, VF v) { memcpy(p, &v, sizeof v); }
// The first n < VW lanes, the others 0: the CPU's masked loads and stores when the including file
// defines them (no call, no access past n), else a copy through a zero-padded vector.
#ifdef LOAD_PARTIAL
INLINE VF HELPER(load_part_)(const float *p, long n) { return LOAD_PARTIAL(p, n); }
INLINE void HELPER(store_part_)(float *p, VF v, long n) { STORE_PARTIAL(p, v, n); }
#else
INLINE VF HELPER(load_part_)(const float *p, long n) { VF v = 0; memcpy(&v, p, (size_t)n * sizeof(float)); return v; }
INLINE void HELPER(store_part_)(float *p, VF v, long n) { memcpy(p, &v, (size_t)n * sizeof(float)); }
#endif
#define LOAD HELPER(load_)
#define STORE HELPER(store_)
#define LOADP HELPER(load_part_)
#define STOREP HELPER(store_part_)

/// eˣ: Cephes' range reduction and degree-6 polynomial, as Kernels.exp (relative error < 3e-7 on
/// [-87, 88], saturating outside); 2ⁿ built from the "magic number" bits, no conversions.
INLINE VF HELPER(exp_)(VF x) {
    x = __builtin_elementwise_min(__builtin_elementwise_max(x, (VF)-87.3f), (VF)88.3f);
    const float magic = 12582912.0f;                       // 1.5·2²³
    VF shifted = x * 1.44269504f + magic;
    VF n = shifted - magic;
    VF r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    VF p = 1.98756915e-4f;
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345190e-3f;
    p = p * r + 4.16657959e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000012e-1f;
    p = p * r * r + r + 1.0f;
    VI scale = (((VI)shifted - 0x4B400000) + 127) * 8388608;   // (n + 127) << 23
    return p * (VF)scale;
}
#define VEXP HELPER(exp_)

/// 1 / (1 + e⁻ᵛ) with e⁻ᵛ capped at e⁸⁷: never a subnormal result (each costs a microcode assist).
/// (A reciprocal estimate with a Newton step instead of the division measured no faster here.)
INLINE VF HELPER(sigmoid_)(VF v) { return 1.0f / (1.0f + VEXP(__builtin_elementwise_min(-v, (VF)87.0f))); }
#define SIGMOID HELPER(sigmoid_)

void NAME(miri_bias_silu)(float *z, const float *bias, float *sigma, float *h, long rows, long cols) {
    long vecCols = cols / VW * VW, tail = cols - vecCols;
    for (long i = 0; i < rows; i++) {
        float *zr = z + i * cols, *sr = sigma + i * cols, *hr = h + i * cols;
        for (long j = 0; j < vecCols; j += VW) {
            VF v = LOAD(zr + j) + LOAD(bias + j), s = SIGMOID(v);
            STORE(zr + j, v); STORE(sr + j, s); STORE(hr + j, v * s);
        }
        if (tail) {
            VF v = LOADP(zr + vecCols, tail) + LOADP(bias + vecCols, tail), s = SIGMOID(v);
            STOREP(zr + vecCols, v, tail); STOREP(sr + vecCols, s, tail); STOREP(hr + vecCols, v * s, tail);
        }
    }
}

void NAME(miri_bias_silu_inplace)(float *z, const float *bias, long rows, long cols) {
    long vecCols = cols / VW * VW, tail = cols - vecCols;
    for (long i = 0; i < rows; i++) {
        float *zr = z + i * cols;
        for (long j = 0; j < vecCols; j += VW) {
            VF v = LOAD(zr + j) + LOAD(bias + j);
            STORE(zr + j, v * SIGMOID(v));
        }
        if (tail) {
            VF v = LOADP(zr + vecCols, tail) + LOADP(bias + vecCols, tail);
            STOREP(zr + vecCols, v * SIGMOID(v), tail);
        }
    }
}

void NAME(miri_silu_backward)(float *g, const float *sigma, const float *h, long count) {
    long end = count / VW * VW, tail = count - end;
    for (long j = 0; j < end; j += VW) {
        VF s = LOAD(sigma + j);
        STORE(g + j, LOAD(g + j) * (s + LOAD(h + j) * (1.0f - s)));
    }
    if (tail) {
        VF s = LOADP(sigma + end, tail);
        STOREP(g + end, LOADP(g + end, tail) * (s + LOADP(h + end, tail) * (1.0f - s)), tail);
    }
}

void NAME(miri_add_bias)(float *z, const float *bias, long rows, long cols) {
    long vecCols = cols / VW * VW, tail = cols - vecCols;
    for (long i = 0; i < rows; i++) {
        float *zr = z + i * cols;
        for (long j = 0; j < vecCols; j += VW) STORE(zr + j, LOAD(zr + j) + LOAD(bias + j));
        if (tail) STOREP(zr + vecCols, LOADP(zr + vecCols, tail) + LOADP(bias + vecCols, tail), tail);
    }
}

/// Each column is summed over the rows in order (the same bits at every width); four vectors of
/// columns at a time stay in registers across the rows instead of going through memory per row.
void NAME(miri_column_sums)(const float *g, long rows, long cols, float *sums) {
    long vecCols = cols / VW * VW, tail = cols - vecCols, j = 0;
    for (; j + 4 * VW <= vecCols; j += 4 * VW) {
        VF a0 = LOAD(sums + j), a1 = LOAD(sums + j + VW), a2 = LOAD(sums + j + 2 * VW), a3 = LOAD(sums + j + 3 * VW);
        for (long i = 0; i < rows; i++) {
            const float *gr = g + i * cols + j;
            a0 += LOAD(gr); a1 += LOAD(gr + VW); a2 += LOAD(gr + 2 * VW); a3 += LOAD(gr + 3 * VW);
        }
        STORE(sums + j, a0); STORE(sums + j + VW, a1); STORE(sums + j + 2 * VW, a2); STORE(sums + j + 3 * VW, a3);
    }
    for (; j < vecCols; j += VW) {
        VF a = LOAD(sums + j);
        for (long i = 0; i < rows; i++) a += LOAD(g + i * cols + j);
        STORE(sums + j, a);
    }
    if (tail) {
        VF a = LOADP(sums + vecCols, tail);
        for (long i = 0; i < rows; i++) a += LOADP(g + i * cols + vecCols, tail);
        STOREP(sums + vecCols, a, tail);
    }
}

/// a·average + (1−a)·p as one explicit FMA: contraction alone may fuse either product, and the
/// fused Adam pass must give the bits of miri_average.
#define AVERAGE(a, average, p) __builtin_elementwise_fma((VF)(a), (average), (1.0f - (a)) * (p))

/// One Adam block of up to VW values; with `average` (not NULL) also average ← a·average + (1−a)·p
/// on the new p, in the same pass (the same arithmetic as miri_average, so the same bits).
INLINE void HELPER(adam_vector_)(float *p, const float *g, float *m, float *v, float *average, long n, float b1, float b2,
                                 float stepSize, float invSqrtBias2, float eps, float a) {
    VF gv = n == VW ? LOAD(g) : LOADP(g, n);
    VF mv = b1 * (n == VW ? LOAD(m) : LOADP(m, n)) + (1.0f - b1) * gv;
    VF vv = b2 * (n == VW ? LOAD(v) : LOADP(v, n)) + (1.0f - b2) * gv * gv;
    VF pv = (n == VW ? LOAD(p) : LOADP(p, n)) - stepSize * mv / (__builtin_elementwise_sqrt(vv) * invSqrtBias2 + eps);
    if (n == VW) { STORE(m, mv); STORE(v, vv); STORE(p, pv); } else { STOREP(m, mv, n); STOREP(v, vv, n); STOREP(p, pv, n); }
    if (average) {
        VF av = AVERAGE(a, n == VW ? LOAD(average) : LOADP(average, n), pv);
        if (n == VW) STORE(average, av); else STOREP(average, av, n);
    }
}

void NAME(miri_adam)(float *p, const float *g, float *m, float *v, float *average, long count, float b1, float b2,
                     float stepSize, float invSqrtBias2, float eps, float a) {
    long end = count / VW * VW, tail = count - end;
    for (long i = 0; i < end; i += VW)
        HELPER(adam_vector_)(p + i, g + i, m + i, v + i, average ? average + i : 0, VW, b1, b2, stepSize, invSqrtBias2, eps, a);
    if (tail)
        HELPER(adam_vector_)(p + end, g + end, m + end, v + end, average ? average + end : 0, tail, b1, b2, stepSize, invSqrtBias2, eps, a);
}

void NAME(miri_average)(float *average, const float *p, long count, float a) {
    long end = count / VW * VW, tail = count - end;
    for (long i = 0; i < end; i += VW) STORE(average + i, AVERAGE(a, LOAD(average + i), LOAD(p + i)));
    if (tail) STOREP(average + end, AVERAGE(a, LOADP(average + end, tail), LOADP(p + end, tail)), tail);
}

/// x ← x + v·dt where observed is 0; observed coordinates keep their exact bits.
void NAME(miri_masked_axpy)(float *x, const float *v, const float *observed, long count, float dt) {
    long end = count / VW * VW, tail = count - end;
    for (long k = 0; k < end; k += VW) {
        VF xv = LOAD(x + k);
        VI keep = LOAD(observed + k) != 0.0f;                 // all ones where observed
        STORE(x + k, (VF)(((VI)xv & keep) | ((VI)(xv + LOAD(v + k) * dt) & ~keep)));
    }
    if (tail) {
        VF xv = LOADP(x + end, tail);
        VI keep = LOADP(observed + end, tail) != 0.0f;
        STOREP(x + end, (VF)(((VI)xv & keep) | ((VI)(xv + LOADP(v + end, tail) * dt) & ~keep)), tail);
    }
}

#if VW == 16
typedef double HELPER(vd_) __attribute__((ext_vector_type(8)));
#define LOW_HALF(x) __builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7)
#define HIGH_HALF(x) __builtin_shufflevector(x, x, 8, 9, 10, 11, 12, 13, 14, 15)
#else
typedef double HELPER(vd_) __attribute__((ext_vector_type(VW / 2)));
#define LOW_HALF(x) __builtin_shufflevector(x, x, 0, 1, 2, 3)
#define HIGH_HALF(x) __builtin_shufflevector(x, x, 4, 5, 6, 7)
#endif
#define VD HELPER(vd_)

/// The flow loss's gradient and sum: d = (f − t)·mask, g ← scale·d, returns Σ d² in Double. g has
/// the bits of the Swift loop; the sum is accumulated per lane, then the lanes in order.
double NAME(miri_masked_squared_error)(const float *f, const float *t, const float *mask, float *g, long n, float scale) {
    VD low = 0, high = 0;
    long end = n / VW * VW, tail = n - end;
    for (long k = 0; k < end; k += VW) {
        VF d = (LOAD(f + k) - LOAD(t + k)) * LOAD(mask + k);
        STORE(g + k, scale * d);
        VF d2 = d * d;
        low += __builtin_convertvector(LOW_HALF(d2), VD);
        high += __builtin_convertvector(HIGH_HALF(d2), VD);
    }
    if (tail) {
        VF d = (LOADP(f + end, tail) - LOADP(t + end, tail)) * LOADP(mask + end, tail);   // 0 in the padding
        STOREP(g + end, scale * d, tail);
        VF d2 = d * d;
        low += __builtin_convertvector(LOW_HALF(d2), VD);
        high += __builtin_convertvector(HIGH_HALF(d2), VD);
    }
    double sum = 0;
    for (int lane = 0; lane < VW / 2; lane++) sum += low[lane];
    for (int lane = 0; lane < VW / 2; lane++) sum += high[lane];
    return sum;
}

/// kNN's skip scan (see Kernels.firstKNNCandidate): from `start`, in groups of eight rows, the
/// first full group r (r + 8 ≤ n) with a lane whose bound scale·U, U = max(p − 2q, 0) − eps·p − τ,
/// is below `threshold` or NaN; n − (n − start) % 8 (the tail's start) when every full group skips.
/// Only a speed-up: the caller's exact distances decide, so skipping less never changes a result.
long NAME(miri_knn_first_candidate)(const float *p, const float *q, long start, long n, float eps, float scale,
                                    float threshold) {
    const float tiny = 1.17549435e-38f;                      // FLT_MIN, as Float.leastNormalMagnitude
    long r = start;
    for (; r + VW <= n; r += VW) {
        VF pv = LOAD(p + r), s = pv - 2.0f * LOAD(q + r);
        s = (VF)((VI)s & ~(s < 0.0f));                       // negatives to 0, NaN kept (as the Swift loop)
        VI skip = ((s - eps * pv - tiny) * scale) >= threshold;
#if VW == 16
        int low = __builtin_reduce_and(__builtin_shufflevector(skip, skip, 0, 1, 2, 3, 4, 5, 6, 7));
        if (!low) return r;
        int high = __builtin_reduce_and(__builtin_shufflevector(skip, skip, 8, 9, 10, 11, 12, 13, 14, 15));
        if (!high) return r + 8;
#else
        if (!__builtin_reduce_and(skip)) return r;
#endif
    }
#if VW == 16
    if (r + 8 <= n) {                                        // one group of eight left
        VF pv = LOADP(p + r, 8), s = pv - 2.0f * LOADP(q + r, 8);
        s = (VF)((VI)s & ~(s < 0.0f));
        VI skip = ((s - eps * pv - tiny) * scale) >= threshold;
        if (!__builtin_reduce_and(__builtin_shufflevector(skip, skip, 0, 1, 2, 3, 4, 5, 6, 7))) return r;
        r += 8;
    }
#endif
    return r;
}

/// The rectified-flow minibatch (see Flow's FlowBatch.fill and Kernels.flowBatch): for batch row r
/// with table row i = rows[r], partner p = partner[i] and time t[r], xt = t·x1 + (1−t)·x0 and
///   input[r]  = [o ? x0 : xt, o ? x1 : xt, o, t],  target[r] = x1 − x0,  missing[r] = o ? 0 : 1.
/// Returns the number of missing cells. No contraction here: xt has the bits of the Swift loop on
/// every path, so the training data, and hence the model, do not depend on the path through this.
long NAME(miri_flow_batch)(const float *x, const float *observed, const long *rows, const long *partner, const float *t,
                           long count, long d, float *input, float *target, float *missing) {
#pragma clang fp contract(off)
    long width = 3 * d + 1, missingCount = 0;
    for (long r = 0; r < count; r++) {
        long i = rows[r];
        const float *x0 = x + i * d, *x1 = x + partner[i] * d, *o = observed + i * d;
        float *row = input + r * width, *tgt = target + r * d, *miss = missing + r * d;
        VF tv = t[r], sv = 1.0f - t[r];
        for (long j = 0; j < d; j += VW) {
            long n = d - j < VW ? d - j : VW;
            VF a = n == VW ? LOAD(x0 + j) : LOADP(x0 + j, n);
            VF b = n == VW ? LOAD(x1 + j) : LOADP(x1 + j, n);
            VF ov = n == VW ? LOAD(o + j) : LOADP(o + j, n);
            VF xt = tv * b + sv * a;
            VI keep = ov != 0.0f;                               // all ones where observed
            VF u = (VF)(((VI)a & keep) | ((VI)xt & ~keep));
            VF w = (VF)(((VI)b & keep) | ((VI)xt & ~keep));
            VF m = (VF)((VI)(VF)1.0f & ~keep);
            missingCount += n - (long)__builtin_reduce_add(-keep);   // padding lanes are never "observed"
            if (n == VW) {
                STORE(row + j, u); STORE(row + d + j, w); STORE(row + 2 * d + j, ov);
                STORE(tgt + j, b - a); STORE(miss + j, m);
            } else {
                STOREP(row + j, u, n); STOREP(row + d + j, w, n); STOREP(row + 2 * d + j, ov, n);
                STOREP(tgt + j, b - a, n); STOREP(miss + j, m, n);
            }
        }
        row[3 * d] = t[r];
    }
    return missingCount;
}
