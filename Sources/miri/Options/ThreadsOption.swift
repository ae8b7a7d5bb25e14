import ArgumentParser
import Foundation
import Linalg

/// `--threads T`, shared by every command that computes: validated once, handed to every
/// imputer and model as its `ComputeContext`.
struct ThreadsOption: ParsableArguments {
    @Option(help: ArgumentHelp("Threads (default: the number of cores); the same seed and thread count give the same output.", valueName: "T"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// The compute context of the command: `--threads`, else one per core.
    var context: ComputeContext {
        threads.map { ComputeContext(threads: $0) } ?? .default
    }
}
