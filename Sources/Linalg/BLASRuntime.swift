import CBLAS

/// The OpenBLAS runtime: its version, the kernel set it selected and its threads.
///
/// OpenBLAS picks its kernels ("core") when the library loads, from the CPU or
/// from the `OPENBLAS_CORETYPE` environment variable. This package never sets
/// that variable: it only reports what is in use, so speed figures can say so.
public enum BLASRuntime {
    /// The kernel core in use, e.g. "Haswell" or "Cooperlake" (fixed once OpenBLAS has loaded).
    public static let coreName: String = {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }()

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
