import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a clean stop with exit status 130 and nothing written.
///
/// Inside `cooperating { … }` (MIRI's rounds, writing the output) the first Ctrl-C only sets
/// `requested`: MIRI polls it between minibatches and stops with `ImputationError.cancelled`, and
/// a write in progress finishes, so no temporary file is left behind. Elsewhere (reading,
/// mean, kNN), and on a second Ctrl-C, the tool exits at once: nothing has been written yet.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var cooperative = false
    private var source: DispatchSourceSignal?

    /// Whether Ctrl-C has been pressed since `install()`.
    var requested: Bool {
        lock.lock(); defer { lock.unlock() }
        return flag
    }

    /// Starts catching SIGINT for the rest of the process.
    func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            lock.lock()
            let exitNow = flag || !cooperative
            flag = true
            lock.unlock()
            if exitNow {
                Diagnostics.write("\n")
                Diagnostics.line("miri: interrupted; nothing was written")
                _exit(ExitStatus.interrupted)
            }
        }
        source.resume()
        self.source = source
    }

    /// Runs `body` with Ctrl-C deferred to `requested`.
    func cooperating<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); cooperative = true; lock.unlock()
        defer { lock.lock(); cooperative = false; lock.unlock() }
        return try body()
    }
}
