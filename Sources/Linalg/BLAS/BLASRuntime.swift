import CBLAS

/// The OpenBLAS runtime: its version, the kernel set it selected and its threads.
///
/// OpenBLAS picks its kernels ("core") when the library loads, from the CPU or from the
/// `OPENBLAS_CORETYPE` environment variable. An OpenBLAS older than the CPU falls back to generic
/// kernels; before its first BLAS call the package then switches to the best core the CPU runs
/// (`kernels`: what, and why). A value of the variable set by the user or the system is respected.
public enum BLASRuntime {
    /// The choice of kernels, made once (before the package's first BLAS call; calling this first
    /// makes it at a time of your choosing): the CPU's features, OpenBLAS's detected core, the core
    /// in use and why, and the package's vector path. Make it before other threads call OpenBLAS.
    public static let kernels: BLASKernelReport = BLASKernels.report

    /// Makes the choice of `kernels` if not yet made. Every OpenBLAS call of the package runs after it.
    @inline(__always)
    static func ensureKernels() { _ = BLASKernels.report }

    /// The kernel core in use, e.g. "Haswell" or "Cooperlake".
    public static let coreName: String = {
        ensureKernels()
        return loadedCoreName
    }()

    /// The core OpenBLAS reports right now (no selection first).
    static var loadedCoreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (holds its version).
    public static let configuration: String = {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }()

    /// The OpenBLAS version, e.g. "0.3.21".
    public static let version: String = {
        let words = configuration.split(separator: " ")
        if let i = words.firstIndex(of: "OpenBLAS"), i + 1 < words.count { return String(words[i + 1]) }
        return configuration
    }()
}
