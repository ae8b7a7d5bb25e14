import CKernels

/// What the running CPU offers, as the package's choices need it: the vector extensions its own
/// kernels can use and those that decide which OpenBLAS kernel core fits (read with cpuid).
///
/// A value type, so the choices can be tested with any CPU injected.
public struct CPUFeatures: Sendable, Equatable {
    /// The instruction set family (only x86-64 has the optional extensions below).
    public enum Architecture: String, Sendable {
        /// 64-bit x86 (Intel, AMD).
        case x86_64 = "x86-64"
        /// 64-bit ARM (NEON is its baseline).
        case arm64
        /// Anything else: the portable loops only.
        case other
    }
    /// The CPU's instruction set family.
    public var architecture: Architecture
    /// AVX2 and FMA (the 8-lane kernels and OpenBLAS's Haswell core need both).
    public var avx2 = false, fma = false
    /// The AVX-512 subsets OpenBLAS's SkylakeX core and the 16-lane kernels need (all four).
    public var avx512f = false, avx512bw = false, avx512dq = false, avx512vl = false
    /// AVX512-BF16 (OpenBLAS's Cooperlake core) and AMX tiles (reported only).
    public var avx512bf16 = false, amx = false
    /// cpuid's display family and model (x86-64; 0 elsewhere).
    public var family = 0, model = 0
    /// The vendor string, e.g. "GenuineIntel".
    public var vendor = ""

    /// A CPU with these features (tests inject CPUs this way); `avx512` sets F, BW, DQ and VL.
    package init(architecture: Architecture, avx2: Bool = false, fma: Bool = false, avx512: Bool = false,
                avx512bf16: Bool = false, amx: Bool = false) {
        self.architecture = architecture
        self.avx2 = avx2
        self.fma = fma
        (avx512f, avx512bw, avx512dq, avx512vl) = (avx512, avx512, avx512, avx512)
        self.avx512bf16 = avx512bf16
        self.amx = amx
    }

    /// AVX-512 F, BW, DQ and VL together: what OpenBLAS's SkylakeX kernels and the package's
    /// 16-lane kernels need.
    public var hasAVX512: Bool { avx512f && avx512bw && avx512dq && avx512vl }
    /// AVX2 and FMA together: what Haswell kernels and the 8-lane kernels need.
    public var hasAVX2FMA: Bool { avx2 && fma }

    /// The running CPU, read once.
    public static let current: CPUFeatures = {
        var family: Int32 = 0, model: Int32 = 0
        var vendor = [CChar](repeating: 0, count: 13)
        let bits = UInt32(miri_cpu_features(&family, &model, &vendor))
        func has(_ flag: Int) -> Bool { bits & UInt32(truncatingIfNeeded: flag) != 0 }  // anonymous C enum: Int
        var cpu = CPUFeatures(architecture: has(MIRI_CPU_X86_64) ? .x86_64
                              : has(MIRI_CPU_ARM64) ? .arm64 : .other)
        cpu.avx2 = has(MIRI_CPU_AVX2)
        cpu.fma = has(MIRI_CPU_FMA)
        cpu.avx512f = has(MIRI_CPU_AVX512F)
        cpu.avx512bw = has(MIRI_CPU_AVX512BW)
        cpu.avx512dq = has(MIRI_CPU_AVX512DQ)
        cpu.avx512vl = has(MIRI_CPU_AVX512VL)
        cpu.avx512bf16 = has(MIRI_CPU_AVX512BF16)
        cpu.amx = has(MIRI_CPU_AMX)
        cpu.family = Int(family)
        cpu.model = Int(model)
        cpu.vendor = String(decoding: vendor.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cpu
    }()

    /// For reports: e.g. "x86-64 GenuineIntel family 6 model 207: AVX-512 (F, BW, DQ, VL), AVX512-BF16, AMX, AVX2, FMA".
    public var summary: String {
        var parts: [String] = []
        if hasAVX512 {
            parts.append("AVX-512 (F, BW, DQ, VL)")
        } else if avx512f {
            parts.append("AVX-512 F (not all of BW, DQ, VL)")
        }
        if avx512bf16 { parts.append("AVX512-BF16") }
        if amx { parts.append("AMX") }
        if avx2 { parts.append("AVX2") }
        if fma { parts.append("FMA") }
        if architecture == .arm64 { parts.append("NEON") }
        var name = architecture.rawValue
        if !vendor.isEmpty { name += " \(vendor) family \(family) model \(model)" }
        return name + ": " + (parts.isEmpty ? (architecture == .x86_64 ? "SSE2 only" : "no vector extensions known") : parts.joined(separator: ", "))
    }
}
