import Foundation
import TestSupport

/// The built `miri` executable (`MIRI_BINARY` overrides where it is found).
enum Tool {
    typealias Result = BuiltExecutable.Result

    static let executable = BuiltExecutable(named: "miri", override: "MIRI_BINARY")

    /// Runs `miri arguments…` in `folder`, feeding `input` on standard input (empty when nil).
    /// `stdoutPath` sends standard output to that file or device instead (its `Result.stdout`
    /// is then empty).
    static func run(_ arguments: [String], input: Data? = nil, in folder: URL? = nil,
                    environment: [String: String] = [:], stdoutPath: String? = nil) throws -> Result {
        try executable.run(arguments, input: input, in: folder, environment: environment, stdoutPath: stdoutPath)
    }

    /// The fastest MIRI settings that still run every stage: for tests of the tool, not of MIRI.
    static let tinyMIRI = ["--rounds", "1", "--epochs", "2", "--hidden", "16", "--steps", "4", "--threads", "1"]
}

/// Splits CSV text into rows of raw fields (no quoted commas in these tests' data rows).
func csvRows(_ text: String) -> [[String]] {
    text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

let missingMarkers: Set<String> = ["", "NA", "NaN", "nan", "?"]
