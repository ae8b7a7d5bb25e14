import Testing
@testable import Linalg

/// The choice of OpenBLAS core with the CPU, the detected core and the environment injected, so
/// every case runs on any machine (one whose OpenBLAS knows the CPU cannot show the switch).
@Suite("OpenBLAS core choice")
struct BLASCoreChoiceTests {
    let sapphireRapids = CPUFeatures(architecture: .x86_64, avx2: true, fma: true, avx512: true, avx512bf16: true, amx: true)
    let skylakeServer = CPUFeatures(architecture: .x86_64, avx2: true, fma: true, avx512: true)
    let haswell = CPUFeatures(architecture: .x86_64, avx2: true, fma: true)
    let oldX86 = CPUFeatures(architecture: .x86_64)
    static let allCores: Set = ["PRESCOTT", "HASWELL", "SKYLAKEX", "COOPERLAKE", "SANDYBRIDGE", "ZEN"]

    func decide(_ cpu: CPUFeatures, _ detected: String, environment: String? = nil, canSelect: Bool = true,
                cores: Set<String> = allCores) -> BLASCoreChoice {
        BLASCoreChoice.decide(cpu: cpu, detected: detected, environment: environment, canSelect: canSelect,
                              hasCore: { cores.contains($0) })
    }

    @Test("a CPU OpenBLAS does not know gets the widest core it runs")
    func upgradesGenericCore() {
        #expect(decide(sapphireRapids, "Prescott") == .switchTo("Cooperlake"))
        #expect(decide(skylakeServer, "Prescott") == .switchTo("SkylakeX"))
        #expect(decide(haswell, "Prescott") == .switchTo("Haswell"))
        #expect(decide(sapphireRapids, "Sandybridge") == .switchTo("Cooperlake"))
        #expect(decide(haswell, "NEHALEM") == .switchTo("Haswell"))          // names compare without case
    }

    @Test("without AVX512-BF16, or an OpenBLAS without the Cooperlake table, AVX-512 means SkylakeX")
    func cooperlakeNeedsBF16AndTheTable() {
        #expect(decide(skylakeServer, "Prescott") == .switchTo("SkylakeX"))
        #expect(decide(sapphireRapids, "Prescott", cores: ["PRESCOTT", "HASWELL", "SKYLAKEX"]) == .switchTo("SkylakeX"))
        #expect(decide(sapphireRapids, "Prescott", cores: ["PRESCOTT", "HASWELL"]) == .switchTo("Haswell"))
        #expect(decide(sapphireRapids, "Prescott", cores: ["PRESCOTT"]) == .keep(.detectedIsBest))
    }

    @Test("AVX-512 without all of F, BW, DQ and VL is not enough for SkylakeX")
    func partialAVX512() {
        var cpu = haswell
        cpu.avx512f = true
        #expect(decide(cpu, "Prescott") == .switchTo("Haswell"))
        var noFMA = haswell
        noFMA.fma = false
        #expect(decide(noFMA, "Prescott") == .keep(.detectedIsBest))
    }

    @Test("a value of OPENBLAS_CORETYPE set outside is always respected")
    func environmentWins() {
        #expect(decide(sapphireRapids, "Prescott", environment: "Prescott") == .keep(.environmentSet("Prescott")))
        #expect(decide(sapphireRapids, "Haswell", environment: "haswell") == .keep(.environmentSet("haswell")))
        #expect(decide(sapphireRapids, "Prescott", environment: "") == .keep(.environmentSet("")))
    }

    @Test("a detected core as wide as the CPU's best is kept, never swapped sideways")
    func keepsGoodDetection() {
        #expect(decide(sapphireRapids, "SkylakeX") == .keep(.detectedIsBest))
        #expect(decide(skylakeServer, "Cooperlake") == .keep(.detectedIsBest))
        #expect(decide(haswell, "Zen") == .keep(.detectedIsBest))
        #expect(decide(haswell, "Haswell") == .keep(.detectedIsBest))
        #expect(decide(oldX86, "Prescott") == .keep(.detectedIsBest))
    }

    @Test("unknown cores and other architectures are left alone")
    func unranked() {
        #expect(decide(sapphireRapids, "EmeraldRapidsNext") == .keep(.unrankedCore))
        #expect(decide(CPUFeatures(architecture: .arm64), "NeoverseN1") == .keep(.unrankedCore))
        #expect(decide(CPUFeatures(architecture: .arm64), "Prescott") == .keep(.unrankedCore))
    }

    @Test("an OpenBLAS that cannot switch cores says which core would fit")
    func cannotSelect() {
        #expect(decide(sapphireRapids, "Prescott", canSelect: false) == .keep(.cannotSelect(better: "Cooperlake")))
    }

    @Test("the report's reason names what was kept or switched to")
    func reasons() {
        let switched = BLASKernelReport(cpu: sapphireRapids, openBLASVersion: "0.3.21", detectedCore: "Prescott", core: "Cooperlake",
                                        environment: nil, choice: .switchTo("Cooperlake"), selfCheckFailures: [], vectorPath: .avx512)
        #expect(switched.switched && switched.reason.contains("Cooperlake") && switched.reason.contains("Prescott"))
        let failed = BLASKernelReport(cpu: sapphireRapids, openBLASVersion: "0.3.21", detectedCore: "Prescott", core: "Prescott",
                                      environment: nil, choice: .switchTo("Cooperlake"), selfCheckFailures: ["NT"], vectorPath: .avx512)
        #expect(!failed.switched && failed.reason.contains("failed its self-check") && failed.reason.contains("NT"))
        let forced = BLASKernelReport(cpu: sapphireRapids, openBLASVersion: "0.3.21", detectedCore: "Haswell", core: "Haswell",
                                      environment: "Haswell", choice: .keep(.environmentSet("Haswell")), selfCheckFailures: [], vectorPath: .avx512)
        #expect(forced.reason.contains("respected") && forced.lines.contains("OPENBLAS_CORETYPE: set to \"Haswell\" (kernels forced)"))
    }
}

@Suite("OpenBLAS core in this process")
struct BLASKernelsLiveTests {
    @Test("the process's choice follows the rule and the core in use is what OpenBLAS reports")
    func liveReport() {
        let report = BLASRuntime.kernels
        #expect(report.core == BLASRuntime.coreName)
        if let value = report.environment {
            #expect(report.choice == .keep(.environmentSet(value)))
            #expect(report.core == report.detectedCore)
        }
        if report.switched {
            guard case .switchTo(let target) = report.choice else { Issue.record("switched without a switch"); return }
            #expect(report.core.lowercased() == target.lowercased())
            #expect(BLASCoreChoice.rank(of: report.core)! > BLASCoreChoice.rank(of: report.detectedCore)!)
        }
        #expect(SIMDPath.supported(on: report.cpu).contains(report.vectorPath))
    }

    @Test("the self-check passes the core in use, in all four transpose cases")
    func selfCheckPassesRealProduct() {
        let failures = BLASSelfCheck.failures { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        #expect(failures.isEmpty)
    }

    @Test("the self-check catches a product that ignores transposition, a slightly wrong one and NaN")
    func selfCheckCatchesBrokenProducts() {
        // Right only when neither operand is transposed: a kernel whose transposed paths are broken.
        let ignoresTranspose = BLASSelfCheck.failures { _, _, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            gemm(.none, .none, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        #expect(ignoresTranspose.count == 3)
        #expect(ignoresTranspose.allSatisfy { !($0.0 == .none && $0.1 == .none) })
        let slightlyOff = BLASSelfCheck.failures { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            gemm(ta, tb, m: m, n: n, k: k, alpha: alpha * 1.001, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        #expect(slightlyOff.count == 4)
        let oneNaN = BLASSelfCheck.failures { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            c[(m - 1) * ldc + n - 1] = .nan                 // only the last element: partial tiles must be checked
        }
        #expect(oneNaN.count == 4)
    }
}

@Suite("Vector path choice")
struct SIMDPathTests {
    @Test("the widest path the CPU runs, or the one asked for when the CPU runs it")
    func choice() {
        let avx512 = CPUFeatures(architecture: .x86_64, avx2: true, fma: true, avx512: true)
        let avx2 = CPUFeatures(architecture: .x86_64, avx2: true, fma: true)
        #expect(SIMDPath.supported(on: avx512) == [.baseline, .avx2, .avx512])
        #expect(SIMDPath.supported(on: avx2) == [.baseline, .avx2])
        #expect(SIMDPath.supported(on: CPUFeatures(architecture: .x86_64)) == [.baseline])
        #expect(SIMDPath.supported(on: CPUFeatures(architecture: .arm64)) == [.baseline])
        #expect(SIMDPath.choose(cpu: avx512, requested: nil) == .avx512)
        #expect(SIMDPath.choose(cpu: avx512, requested: "AVX2") == .avx2)
        #expect(SIMDPath.choose(cpu: avx2, requested: "avx512") == .avx2)       // never a path the CPU lacks
        #expect(SIMDPath.choose(cpu: avx2, requested: "fast") == .avx2)
        #expect(SIMDPath.choose(cpu: avx2, requested: "baseline") == .baseline)
    }
}
