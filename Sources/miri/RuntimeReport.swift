import ArgumentParser
import Foundation
import Linalg

/// What `miri info` and `miri --version` print: the tool's version and the OpenBLAS in use.
///
/// OpenBLAS chooses its kernels ("core") when it loads, from the CPU or from the
/// `OPENBLAS_CORETYPE` environment variable. The tool never sets that variable; it reports it,
/// so speed figures can say which kernels produced them.
enum RuntimeReport {
    /// The lines of the report, each "name: value", for a run on `threads` threads.
    static func lines(threads: Int) -> [String] {
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        return [
            "OpenBLAS: \(BLASRuntime.version)",
            "kernel core: \(BLASRuntime.coreName)",
            "threads: \(threads) of \(ProcessInfo.processInfo.activeProcessorCount) cores (the package splits each product over them; OpenBLAS runs each part on one)",
            "OPENBLAS_CORETYPE: " + (coreType.map { "set to \"\($0)\" (kernels forced)" } ?? "not set (OpenBLAS detected the CPU)"),
            "build: \(BLASRuntime.configuration)",
        ]
    }

    /// `miri --version`: the version line, then the report.
    /// (Threads: what a command uses when --threads is not given, one per core.)
    static var versionText: String {
        (["miri \(Miri.version)"] + lines(threads: ProcessInfo.processInfo.activeProcessorCount)).joined(separator: "\n")
    }
}

extension Miri {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the OpenBLAS version, the kernel core in use, the thread count and whether OPENBLAS_CORETYPE is set.",
            discussion: """
                The threads line shows the default (one per core, as `impute` uses), or --threads when given. \
                To compare kernel sets, run with OPENBLAS_CORETYPE=Haswell (AVX2) and without it.
                """
        )

        @OptionGroup var threading: ThreadsOption

        func run() throws {
            print("miri \(Miri.version)")
            for line in RuntimeReport.lines(threads: threading.context.threads) { print(line) }
        }
    }
}
