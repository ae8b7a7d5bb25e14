import CBLAS
import CKernels
import Foundation

/// What the package runs its arithmetic with on this machine, and why: the CPU's features, the
/// OpenBLAS kernel core it detected and the one in use, and the package's own vector path.
/// `BLASRuntime.kernels` makes the choice once and returns this; `miri info` prints `lines`.
public struct BLASKernelReport: Sendable {
    /// What the CPU offers.
    public let cpu: CPUFeatures
    /// The loaded OpenBLAS's version, e.g. "0.3.21".
    public let openBLASVersion: String
    /// The core OpenBLAS chose when it loaded (from its detection or OPENBLAS_CORETYPE).
    public let detectedCore: String
    /// The core in use now.
    public let core: String
    /// OPENBLAS_CORETYPE as the process found it (nil: not set).
    public let environment: String?
    /// The decision and its reason (`reason` says it in words).
    public let choice: BLASCoreChoice
    /// The transpose cases a switched-to core failed its self-check in (then `core` is the detected one).
    public let selfCheckFailures: [String]
    /// The path of the package's own elementwise kernels (SiLU, Adam, the Euler update).
    public let vectorPath: SIMDPath

    /// Whether this process switched OpenBLAS to a better core than it detected.
    public var switched: Bool {
        if case .switchTo = choice { return selfCheckFailures.isEmpty }
        return false
    }

    /// One sentence: why `core` is the core in use.
    public var reason: String {
        switch choice {
        case .keep(.environmentSet(let value)):
            return "OPENBLAS_CORETYPE=\(value) was set by the user or the system; respected"
        case .keep(.detectedIsBest):
            return "OpenBLAS detected kernels that fit this CPU"
        case .keep(.unrankedCore):
            return "OpenBLAS chose \(detectedCore), a core this package does not rank; left as is"
        case .keep(.cannotSelect(let better)):
            return "this CPU could run \(better) kernels, but this OpenBLAS cannot switch cores in-process "
                + "(not a DYNAMIC_ARCH build); set OPENBLAS_CORETYPE=\(better) or use an OpenBLAS built for this CPU"
        case .switchTo(let target) where selfCheckFailures.isEmpty:
            return "OpenBLAS \(openBLASVersion) does not know this CPU and chose \(detectedCore); the CPU has "
                + "\(target == "Haswell" ? "AVX2 and FMA" : "AVX-512\(cpu.avx512bf16 ? " with BF16" : "")"), so \(target) is used "
                + "(self-check against a plain product passed; set OPENBLAS_CORETYPE to choose yourself)"
        case .switchTo(let target):
            return "\(target) fits this CPU but failed its self-check against a plain product "
                + "(\(selfCheckFailures.joined(separator: ", "))), so OpenBLAS's own choice \(core) is kept: slower, but correct"
        }
    }

    /// "name: value" lines for `miri info`.
    public var lines: [String] {
        [
            "CPU: \(cpu.summary)",
            "OpenBLAS: \(openBLASVersion), detected core \(detectedCore)",
            "kernel core: \(core)",
            "why: \(reason)",
            "OPENBLAS_CORETYPE: " + (environment.map { "set to \"\($0)\" (kernels forced)" } ?? "not set"),
            "vector kernels: \(vectorPath.description)",
        ]
    }
}

/// Applies `BLASCoreChoice` to the loaded OpenBLAS, once.
enum BLASKernels {
    static let report: BLASKernelReport = select(cpu: .current, environment: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])

    /// How: OpenBLAS's own `gotoblas_dynamic_quit` / `gotoblas_dynamic_init` with the variable set
    /// for the call (CKernels/openblas_core.c), before the package's first BLAS call. The ways
    /// weighed (docs/performance.md): the switch took 30–50 µs and then gave the sgemm
    /// speed of the variable set by hand; re-running the CLI with the variable set would add a
    /// second process start (`miri info` whole: 26 ms here), touch stdin, signals and exit codes,
    /// and give a library user nothing; loading OpenBLAS lazily would put every BLAS and LAPACKE
    /// call behind a function pointer and change how the package links.
    static func select(cpu: CPUFeatures, environment: String?) -> BLASKernelReport {
        let detected = BLASRuntime.loadedCoreName
        let choice = BLASCoreChoice.decide(cpu: cpu, detected: detected, environment: environment,
                                           canSelect: miri_openblas_can_select_core() != 0,
                                           hasCore: { miri_openblas_has_core($0) != 0 })
        var failures: [String] = []
        if case .switchTo(let target) = choice {
            if miri_openblas_select_core(target) != 0 || BLASRuntime.loadedCoreName.lowercased() != target.lowercased() {
                failures = ["the switch did not take"]
            } else {
                failures = BLASSelfCheck.failures(of: cblasProduct).map { "\(name($0.0))\(name($0.1))" }
            }
            if !failures.isEmpty { _ = miri_openblas_select_core(nil) }      // OpenBLAS's own choice again
        }
        return BLASKernelReport(cpu: cpu, openBLASVersion: BLASRuntime.version, detectedCore: detected,
                                core: BLASRuntime.loadedCoreName, environment: environment, choice: choice,
                                selfCheckFailures: failures, vectorPath: .current)
    }

    private static func name(_ t: Transpose) -> String { t == .none ? "N" : "T" }

    /// One plain `cblas_sgemm` (no column split, no selection: this runs inside it).
    private static func cblasProduct(_ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                     _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, ta.cblas, tb.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                    b, Int32(ldb), beta, c, Int32(ldc))
    }
}
