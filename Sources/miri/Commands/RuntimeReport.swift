import ArgumentParser
import Foundation
import Linalg

/// What `miri info` and `miri --version` print: the tool's version, the CPU, the OpenBLAS kernels in
/// use and why (`BLASRuntime.kernels`: on a CPU its OpenBLAS does not know, the better core the
/// package switched to; a set OPENBLAS_CORETYPE is respected), the vector path and the threads.
enum RuntimeReport {
    /// The lines of the report, each "name: value", for a run on `threads` threads.
    static func lines(threads: Int) -> [String] {
        BLASRuntime.kernels.lines + [
            "threads: \(threads) of \(ProcessInfo.processInfo.activeProcessorCount) cores (the package splits each product over them; OpenBLAS runs each part on one)",
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
            abstract: "Print the CPU's features, the OpenBLAS kernel core in use and why, the vector path and the thread count.",
            discussion: """
                When OPENBLAS_CORETYPE is not set and OpenBLAS fell back to kernels below what the CPU \
                supports (an OpenBLAS older than the CPU), the tool uses the better core after a self-check \
                and says so here; a value you or the system set is always respected. \
                The threads line shows the default (one per core, as `impute` uses), or --threads when given. \
                To compare kernel sets, run with OPENBLAS_CORETYPE=Haswell (AVX2) and without it; \
                MIRI_SIMD=baseline (or avx2) narrows the package's own vector kernels the same way.
                """
        )

        @OptionGroup var threading: ThreadsOption

        func run() throws {
            StandardOutput.write((["miri \(Miri.version)"] + RuntimeReport.lines(threads: threading.context.threads))
                .map { $0 + "\n" }.joined())
        }
    }
}
