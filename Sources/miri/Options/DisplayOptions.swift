import ArgumentParser
import Foundation
import Linalg

/// `--quiet` and `--progress` of `impute` and `fit`: what the tool says on standard error while
/// it works.
struct DisplayOptions: ParsableArguments {
    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    @Flag(help: "Draw MIRI's progress line even when standard error is not a terminal.")
    var progress = false

    /// Whether MIRI's progress line is drawn: standard error is a terminal, or --progress.
    var live: Bool { progress || Diagnostics.isTerminal }

    /// MICE's line after each round (`ImputationMethod.Settings.progress`), shown where MIRI's
    /// progress line would be drawn, unless --quiet.
    var miceRounds: (@Sendable (Int, Int) -> Void)? {
        guard !quiet && live else { return nil }
        let start = Stopwatch()
        return { round, rounds in
            Diagnostics.line("mice: round \(round)/\(rounds) done, \(String(format: "%.2f", start.seconds)) s")
        }
    }

    func note(_ text: String) {
        if !quiet { Diagnostics.line("miri: \(text)") }
    }
}
