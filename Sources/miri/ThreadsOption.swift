import ArgumentParser
import Foundation
import Linalg

/// `--threads T`, shared by every command that computes: validated once, applied once.
struct ThreadsOption: ParsableArguments {
    @Option(help: ArgumentHelp("Threads (default: the number of cores); the same seed and thread count give the same output.", valueName: "T"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// Sets the package's thread count: `--threads`, else one per core.
    func apply() {
        BLASRuntime.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}
