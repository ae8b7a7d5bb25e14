// The kernels of kernels_body.h at 8 lanes for AVX2 + FMA CPUs (called only when cpuid says so).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VW 8
#include <immintrin.h>
#define LANE_MASK(n) ((__m256i)((VI){0, 1, 2, 3, 4, 5, 6, 7} < (int)(n)))
#define LOAD_PARTIAL(p, n) ((VF)_mm256_maskload_ps((p), LANE_MASK(n)))
#define STORE_PARTIAL(p, v, n) _mm256_maskstore_ps((p), LANE_MASK(n), (__m256)(v))
#define SUFFIX avx2
#include "kernels_body.h"
#pragma clang attribute pop
#endif
