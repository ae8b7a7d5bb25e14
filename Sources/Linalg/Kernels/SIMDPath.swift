import Foundation

/// Which build of the package's elementwise kernels runs: the portable Swift `SIMD8` loops
/// (baseline x86-64 SSE2, or NEON on arm64), or the C builds for AVX2 + FMA or AVX-512
/// (CKernels), chosen at run time from cpuid so one binary runs on any x86-64.
///
/// Results are bit-for-bit the same from run to run for one path, seed and thread count; two
/// paths round differently (FMA, vector width), by a few units in the last place.
public enum SIMDPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The portable Swift `SIMD8` loops.
    case baseline
    /// The C build for AVX2 + FMA (8 lanes).
    case avx2
    /// The C build for AVX-512 F/BW/DQ/VL (16 lanes).
    case avx512

    /// The path in use: the widest the CPU supports, or `MIRI_SIMD` (baseline, avx2, avx512) when
    /// set to a path the CPU supports, for comparing paths in benchmarks.
    public static let current: SIMDPath = choose(cpu: .current, requested: ProcessInfo.processInfo.environment["MIRI_SIMD"])

    /// The paths `cpu` can run, narrowest first.
    package static func supported(on cpu: CPUFeatures) -> [SIMDPath] {
        var paths: [SIMDPath] = [.baseline]
        if cpu.architecture == .x86_64 && cpu.hasAVX2FMA { paths.append(.avx2) }
        if cpu.architecture == .x86_64 && cpu.hasAVX512 && cpu.hasAVX2FMA { paths.append(.avx512) }
        return paths
    }

    /// The widest supported path, or `requested` when the CPU supports it (anything else is ignored).
    package static func choose(cpu: CPUFeatures, requested: String?) -> SIMDPath {
        let paths = supported(on: cpu)
        if let requested, let path = SIMDPath(rawValue: requested.lowercased()), paths.contains(path) { return path }
        return paths.last!
    }

    public var description: String {
        switch self {
        case .baseline: return "baseline (Swift SIMD8: SSE2 on x86-64, NEON on arm64)"
        case .avx2: return "AVX2 + FMA (8 lanes)"
        case .avx512: return "AVX-512 (16 lanes)"
        }
    }
}
