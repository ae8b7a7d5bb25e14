import CBLAS

/// The OpenBLAS runtime: its version, the kernel set it selected and its threads.
///
/// OpenBLAS picks its kernels ("core") when the library loads, from the CPU or
/// from the `OPENBLAS_CORETYPE` environment variable. This package never sets
/// that variable: it only reports what is in use, so speed figures can say so.
public enum BLASRuntime {
    /// The kernel core in use, e.g. "Haswell" or "Cooperlake".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (holds its version).
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// The OpenBLAS version, e.g. "0.3.21".
    public static var version: String {
        let words = configuration.split(separator: " ")
        if let i = words.firstIndex(of: "OpenBLAS"), i + 1 < words.count { return String(words[i + 1]) }
        return configuration
    }

    /// Threads the package computes with: its workers, which also split each product
    /// (OpenBLAS's own count is then 1; with `GEMMThreading.splitColumns` off it is this number).
    public static var threads: Int { Parallel.workers }

    /// Uses `n` threads: the package's own workers, which also split each product's columns
    /// (`GEMMThreading`), so OpenBLAS itself runs single-threaded; with
    /// `GEMMThreading.splitColumns` off, OpenBLAS threads each product over `n` instead.
    public static func setThreads(_ n: Int) {
        precondition(n >= 1, "thread count must be at least 1")
        openblas_set_num_threads(GEMMThreading.splitColumns ? 1 : Int32(n))
        Parallel.workers = n
    }
}
