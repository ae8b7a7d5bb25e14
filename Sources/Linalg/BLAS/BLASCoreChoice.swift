/// Which OpenBLAS kernel core to run with, from what the CPU offers, what OpenBLAS detected when it
/// loaded and the environment. Pure: `BLASKernels` applies it; the tests inject every case.
///
/// The rule: a value of `OPENBLAS_CORETYPE` set by the user or the system is always
/// respected (some systems set it because their OpenBLAS computes wrong results otherwise). Else,
/// when OpenBLAS chose a core below what the CPU supports — an OpenBLAS older than the CPU falls
/// back to generic `Prescott` kernels, 3–7× slower at sgemm — the better core is used:
/// AVX-512 F/BW/DQ/VL → `SkylakeX` (`Cooperlake` with AVX512-BF16), AVX2 + FMA → `Haswell`.
public enum BLASCoreChoice: Equatable, Sendable {
    /// Keep the core OpenBLAS chose at load.
    case keep(KeepReason)
    /// Switch to this core (its name as OPENBLAS_CORETYPE takes it), if the self-check passes.
    case switchTo(String)

    /// Why the detected core is kept.
    public enum KeepReason: Equatable, Sendable {
        /// OPENBLAS_CORETYPE was set before the process started.
        case environmentSet(String)
        /// The detected core is at least as wide as the CPU's best that this OpenBLAS has.
        case detectedIsBest
        /// A core this package does not rank (another architecture, or one newer than this code).
        case unrankedCore
        /// A better core fits the CPU, but this OpenBLAS cannot switch (not a DYNAMIC_ARCH build).
        case cannotSelect(better: String)
    }

    /// The decision. `hasCore` says whether this OpenBLAS has a core table (upper-case name).
    package static func decide(cpu: CPUFeatures, detected: String, environment: String?,
                              canSelect: Bool, hasCore: (String) -> Bool) -> BLASCoreChoice {
        if let environment { return .keep(.environmentSet(environment)) }
        guard cpu.architecture == .x86_64, let have = rank(of: detected) else { return .keep(.unrankedCore) }
        guard let target = bestCore(for: cpu, hasCore: hasCore), let want = rank(of: target), want > have else {
            return .keep(.detectedIsBest)
        }
        return canSelect ? .switchTo(target) : .keep(.cannotSelect(better: target))
    }

    /// The widest core this OpenBLAS has that the CPU can run, or nil (SSE only).
    static func bestCore(for cpu: CPUFeatures, hasCore: (String) -> Bool) -> String? {
        if cpu.hasAVX512 {
            if cpu.avx512bf16 && hasCore("COOPERLAKE") { return "Cooperlake" }
            if hasCore("SKYLAKEX") { return "SkylakeX" }
        }
        if cpu.hasAVX2FMA && hasCore("HASWELL") { return "Haswell" }
        return nil
    }

    /// Vector width of an x86 core's kernels: 0 SSE, 1 AVX, 2 AVX2 + FMA, 3 AVX-512; nil when the
    /// name is not an x86 core this code knows (then it is never replaced). Names as OpenBLAS's
    /// `openblas_get_corename` prints them, compared without case.
    static func rank(of core: String) -> Int? {
        let ranks: [String: Int] = [
            "katmai": 0, "coppermine": 0, "northwood": 0, "prescott": 0, "banias": 0, "atom": 0,
            "core2": 0, "penryn": 0, "dunnington": 0, "nehalem": 0, "athlon": 0, "opteron": 0,
            "opteron_sse3": 0, "opteron(sse3)": 0, "barcelona": 0, "nano": 0, "bobcat": 0,
            "sandybridge": 1, "bulldozer": 1, "piledriver": 1, "steamroller": 1,
            "haswell": 2, "excavator": 2, "zen": 2,
            "skylakex": 3, "cooperlake": 3, "sapphirerapids": 3,
        ]
        return ranks[core.lowercased()]
    }
}
