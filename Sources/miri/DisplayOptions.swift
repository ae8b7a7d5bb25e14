import Linalg
import Foundation

/// MICE's progress on standard error (`--progress`, or a terminal): one line per round, so a
/// wide table shows signs of life.
enum MICEProgress {
    /// The callback `MICEImputer.progress` takes, or nil when nothing is shown.
    static func lines(shown: Bool) -> (@Sendable (Int, Int) -> Void)? {
        guard shown else { return nil }
        let start = Stopwatch()
        return { round, rounds in
            Diagnostics.line("mice: round \(round)/\(rounds) done, \(String(format: "%.2f", start.seconds)) s")
        }
    }
}
