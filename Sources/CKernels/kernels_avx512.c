// The kernels of kernels_body.h at 16 lanes for AVX-512 (F, BW, DQ, VL) CPUs (called only when cpuid says so).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#define VW 16
#include <immintrin.h>
#define LOAD_PARTIAL(p, n) ((VF)_mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), (p)))
#define STORE_PARTIAL(p, v, n) _mm512_mask_storeu_ps((p), (__mmask16)((1u << (n)) - 1), (__m512)(v))
#define SUFFIX avx512
#include "kernels_body.h"
#pragma clang attribute pop
#endif
