import ArgumentParser
import Foundation
import Linalg

/// `miri`: impute the missing cells of CSV tables with MIRI, mean, kNN or MICE.
///
/// The tool parses, calls the library and prints; no numerics live here. Exit statuses are
/// part of its contract (see `ExitStatus`).
@main
struct Miri: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "miri",
        abstract: "Impute missing cells of numeric CSV tables with MIRI (rectified flows), mean, kNN or MICE.",
        discussion: """
            Missing cells are written as empty, NA, NaN, nan or ?. Observed cells are copied \
            to the output byte for byte; only missing cells change.

            Exit status: 0 success (also when nothing was missing), 1 cannot write the output \
            or another failure, 2 bad input (the message names the file, line and column), \
            3 MIRI diverged, 64 bad command-line usage, 130 interrupted.
            """,
        version: RuntimeReport.versionText,
        subcommands: [Impute.self, Fit.self, Apply.self, Analyze.self, Ampute.self, Info.self, Demo.self]
    )

    /// ArgumentParser's `main`, except that help and `--version` are written with a check
    /// (`StandardOutput`): ArgumentParser prints them with `print`, whose buffered write fails
    /// silently at exit, so a full standard output ended with status 0. What `print` buffered
    /// elsewhere (the demo's report) is flushed and checked at the end too.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .success else { exit(withError: error) }
            let text = fullMessage(for: error)
            if !text.isEmpty { StandardOutput.write(text + "\n") }
        }
        StandardOutput.finish()
    }
}
