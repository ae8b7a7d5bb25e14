import Foundation
import TestSupport

/// The built `miri-bench` executable (`MIRI_BENCH_BINARY` overrides where it is found).
enum Bench {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable = BuiltExecutable(named: "miri-bench", override: "MIRI_BENCH_BINARY")

    /// Runs `miri-bench arguments…` in `folder`, with nothing on standard input.
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> Result {
        let result = try executable.run(arguments, in: folder)
        return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderr)
    }

    /// The cheapest MIRI that still runs every stage: for tests of the benchmark, not of MIRI.
    static let tinyMIRI = ["--rounds", "1", "--epochs", "2", "--hidden", "16", "--steps", "4"]

    /// results.json of `folder` as an array of objects.
    static func rows(in folder: Scratch, _ name: String = "out/results.json") throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.file(name))
        guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw TestFailure("results.json is not an array of objects")
        }
        return array
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
