// What the running CPU offers, read with cpuid and xgetbv (x86-64) or known by the target (arm64).
#include "ckernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t miri_cpu_features(int *family, int *model, char vendor[13]) {
    uint32_t a, b, c, d, features = MIRI_CPU_X86_64 | MIRI_CPU_SSE2;
    if (family) *family = 0;
    if (model) *model = 0;
    if (vendor) vendor[0] = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return features;
    uint32_t maxLeaf = a;
    if (vendor) { memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4); vendor[12] = 0; }
    __cpuid(1, a, b, c, d);
    int baseFamily = (a >> 8) & 0xF, baseModel = (a >> 4) & 0xF;
    int fam = baseFamily == 0xF ? baseFamily + ((a >> 20) & 0xFF) : baseFamily;
    int mod = (baseFamily == 0x6 || baseFamily == 0xF) ? baseModel + (((a >> 16) & 0xF) << 4) : baseModel;
    if (family) *family = fam;
    if (model) *model = mod;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    // The OS must save the YMM (XCR0 bits 1–2) and, for AVX-512, the opmask and ZMM state (bits 5–7).
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int ymmSaved = (xcr0 & 0x6) == 0x6, zmmSaved = (xcr0 & 0xE6) == 0xE6;
    if (avx && ymmSaved) features |= MIRI_CPU_AVX;
    if (fma && ymmSaved) features |= MIRI_CPU_FMA;
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (((b >> 5) & 1) && ymmSaved) features |= MIRI_CPU_AVX2;
        if (zmmSaved) {
            if ((b >> 16) & 1) features |= MIRI_CPU_AVX512F;
            if ((b >> 17) & 1) features |= MIRI_CPU_AVX512DQ;
            if ((b >> 30) & 1) features |= MIRI_CPU_AVX512BW;
            if ((b >> 31) & 1) features |= MIRI_CPU_AVX512VL;
        }
        if (((d >> 24) & 1) && ((d >> 22) & 1)) features |= MIRI_CPU_AMX;  // AMX-TILE and AMX-BF16
        uint32_t subleaves = a;
        if (subleaves >= 1 && zmmSaved) {
            __cpuid_count(7, 1, a, b, c, d);
            if ((a >> 5) & 1) features |= MIRI_CPU_AVX512BF16;
        }
    }
    return features;
}

#elif defined(__aarch64__)

uint32_t miri_cpu_features(int *family, int *model, char vendor[13]) {
    if (family) *family = 0;
    if (model) *model = 0;
    if (vendor) vendor[0] = 0;
    return MIRI_CPU_ARM64 | MIRI_CPU_NEON;   // NEON (Advanced SIMD) is part of the arm64 baseline
}

#else

uint32_t miri_cpu_features(int *family, int *model, char vendor[13]) {
    if (family) *family = 0;
    if (model) *model = 0;
    if (vendor) vendor[0] = 0;
    return 0;
}

#endif
