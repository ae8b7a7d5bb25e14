// The kernels of kernels_body.h at 8 lanes for AVX2 + FMA CPUs (called only when cpuid says so).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VW 8
#define SUFFIX avx2
#include "kernels_body.h"
#pragma clang attribute pop
#endif
