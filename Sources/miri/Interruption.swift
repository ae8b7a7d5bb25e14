import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a polite stop: MIRI polls `requested` between minibatches and
/// stops with `MIRIError.cancelled`, and the tool exits with status 130 without writing.
/// A second Ctrl-C exits at once.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
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
            let again = flag
            flag = true
            lock.unlock()
            if again { _exit(ExitStatus.interrupted) }
        }
        source.resume()
        self.source = source
    }
}
