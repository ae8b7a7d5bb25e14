import Linalg
import Dispatch
import Flow
import Imputation
import Foundation

/// MIRI's progress on standard error: a line redrawn after each epoch
/// (`round 3/10 [#####.....] epoch 25/50  loss 0.8123  elapsed 0:12  remaining 0:31`) and a
/// summary line per finished round.
///
/// `live` (stderr is a terminal, or `--progress`) draws the line and prints each round's summary
/// as it ends; otherwise the summaries are printed together after the run, so logs stay clean.
/// `quiet` prints nothing.
final class ProgressDisplay {
    let rounds: Int
    let epochs: Int
    /// The first round this run trains (after a resume, the one after the checkpoint's).
    let firstRound: Int
    let live: Bool
    let quiet: Bool
    /// Whether to print a summary line per finished round.
    let roundSummaries: Bool
    private let start = Stopwatch()
    private var lastDraw = -Double.infinity
    private var pending: [String] = []
    private var lineOpen = false

    static let barWidth = 24

    init(rounds: Int, epochs: Int, live: Bool, quiet: Bool, roundSummaries: Bool = true, firstRound: Int = 1) {
        self.rounds = rounds
        self.epochs = epochs
        self.firstRound = firstRound
        self.live = live && !quiet
        self.quiet = quiet
        self.roundSummaries = roundSummaries
    }

    /// Hooks that feed this display; `shouldStop` is passed through.
    func hooks(shouldStop: (() -> Bool)?) -> MIRIHooks {
        MIRIHooks(
            epochFinished: { [self] round, epoch, loss in epochFinished(round: round, epoch: epoch, loss: loss) },
            roundFinished: { [self] diagnostics, _ in roundFinished(diagnostics) },
            shouldStop: shouldStop)
    }

    func epochFinished(round: Int, epoch: Int, loss: Float) {
        guard live else { return }
        let now = start.seconds
        if epoch != epochs && epoch != 1 && now - lastDraw < 0.1 { return }
        lastDraw = now
        let done = (round - firstRound) * epochs + epoch, total = (rounds - firstRound + 1) * epochs
        let elapsed = now
        let remaining = elapsed / Double(done) * Double(total - done)
        let filled = Self.barWidth * epoch / epochs
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.barWidth - filled)
        let text = "round \(round)/\(rounds) [\(bar)] epoch \(epoch)/\(epochs)  loss \(Self.fixed(loss, 4))"
            + "  elapsed \(Self.clock(elapsed))  remaining \(Self.clock(remaining))"
        Diagnostics.write("\r\u{1B}[K" + text)
        lineOpen = true
    }

    func roundFinished(_ d: RoundDiagnostics) {
        guard !quiet else { return }
        guard roundSummaries else { return }
        let text = "round \(d.round)/\(rounds): loss \(Self.fixed(d.meanLoss, 4)) (last epoch \(Self.fixed(d.finalEpochLoss, 4))),"
            + " training \(Self.fixed(d.trainingSeconds, 2)) s, ODE \(Self.fixed(d.odeSeconds, 2)) s"
        if live {
            Diagnostics.write((lineOpen ? "\r\u{1B}[K" : "") + text + "\n")
            lineOpen = false
        } else {
            pending.append(text)
        }
    }

    /// Ends the display: closes an open progress line (keeps it after a failure, say, or erases
    /// it with `erase`) and prints the round summaries a non-live display held back.
    func finish(erase: Bool = false) {
        if lineOpen { Diagnostics.write(erase ? "\r\u{1B}[K" : "\n"); lineOpen = false }
        for text in pending { Diagnostics.line(text) }
        pending = []
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        let mmss = (h > 0 ? String(format: "%02d", m) : String(m)) + ":" + String(format: "%02d", r)
        return h > 0 ? "\(h):\(mmss)" : mmss
    }

    static func fixed<T: BinaryFloatingPoint>(_ value: T, _ digits: Int) -> String {
        String(format: "%.\(digits)f", Double(value))
    }
}
