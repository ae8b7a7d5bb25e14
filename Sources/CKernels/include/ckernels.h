// The package's own C: what the CPU offers (cpuid), OpenBLAS's kernel-core switch, and the
// elementwise kernels compiled for AVX2 and AVX-512 next to the baseline Swift ones, chosen at
// run time so the default binary still runs on any x86-64 (and arm64). Only Linalg imports it.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

// ---- CPU features (cpu_features.c) ----

/// Feature bits, usable only when the OS saves the registers they need (XCR0 checked).
enum {
    MIRI_CPU_SSE2 = 1 << 0,
    MIRI_CPU_AVX = 1 << 1,
    MIRI_CPU_AVX2 = 1 << 2,
    MIRI_CPU_FMA = 1 << 3,
    MIRI_CPU_AVX512F = 1 << 4,
    MIRI_CPU_AVX512BW = 1 << 5,
    MIRI_CPU_AVX512DQ = 1 << 6,
    MIRI_CPU_AVX512VL = 1 << 7,
    MIRI_CPU_AVX512BF16 = 1 << 8,
    MIRI_CPU_AMX = 1 << 9,
    MIRI_CPU_NEON = 1 << 10,
    MIRI_CPU_X86_64 = 1 << 11,
    MIRI_CPU_ARM64 = 1 << 12,
};

/// The features of the running CPU (bits above); `family`/`model` get cpuid's display
/// family and model on x86 (0 elsewhere). `vendor` gets up to 12 characters and a NUL.
uint32_t miri_cpu_features(int *family, int *model, char vendor[13]);

// ---- OpenBLAS's kernel core (openblas_core.c) ----

/// 1 when this OpenBLAS can re-select its core in-process (a DYNAMIC_ARCH build exporting
/// gotoblas_dynamic_init/quit), 0 otherwise.
int miri_openblas_can_select_core(void);

/// 1 when this OpenBLAS build has the core table `gotoblas_<NAME>` (NAME in upper case).
int miri_openblas_has_core(const char *upperName);

/// Re-runs OpenBLAS's own core selection as if OPENBLAS_CORETYPE had been `name` at load
/// (NULL: its own detection again). Call only while no BLAS call is running. Returns 0 on
/// success, -1 when the build cannot (see miri_openblas_can_select_core).
int miri_openblas_select_core(const char *name);

// ---- Elementwise kernels (kernels_avx2.c, kernels_avx512.c; same contract as Kernels.swift) ----

#define MIRI_DECLARE_KERNELS(suffix) \
    void miri_bias_silu_##suffix(float *z, const float *bias, float *sigma, float *h, long rows, long cols); \
    void miri_bias_silu_inplace_##suffix(float *z, const float *bias, long rows, long cols); \
    void miri_silu_backward_##suffix(float *g, const float *sigma, const float *h, long count); \
    void miri_add_bias_##suffix(float *z, const float *bias, long rows, long cols); \
    void miri_column_sums_##suffix(const float *g, long rows, long cols, float *sums); \
    void miri_adam_##suffix(float *p, const float *g, float *m, float *v, float *average, long count, float beta1, \
                            float beta2, float stepSize, float invSqrtBias2, float epsilon, float decay); \
    void miri_average_##suffix(float *average, const float *p, long count, float decay); \
    void miri_masked_axpy_##suffix(float *x, const float *v, const float *observed, long count, float dt); \
    double miri_masked_squared_error_##suffix(const float *f, const float *t, const float *mask, float *g, long n, float scale); \
    long miri_knn_first_candidate_##suffix(const float *p, const float *q, long start, long n, float eps, float scale, \
                                           float threshold); \
    long miri_flow_batch_##suffix(const float *x, const float *observed, const long *rows, const long *partner, \
                                  const float *t, long count, long d, float *input, float *target, float *missing);

MIRI_DECLARE_KERNELS(avx2)
MIRI_DECLARE_KERNELS(avx512)

#endif
