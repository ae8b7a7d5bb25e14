import Foundation
import MIRI

/// What `miri` prints on standard output besides tables (help, `--version`, `info`): written
/// straight to the descriptor, so that a failed write (a full disk, a closed pipe) ends the run
/// with status 1 and one message, as a failed table write does, instead of being lost in a
/// buffer that the exit flushes silently.
enum StandardOutput {
    /// Writes `text`; on failure exits 1 naming the system's reason.
    static func write(_ text: String) {
        do {
            try TableOutput.write(Data(text.utf8), to: .standardOutput, named: "standard output")
        } catch {
            Failure(error, source: "").exit()
        }
    }

    /// Flushes what `print` buffered (the demo's report); on failure exits 1.
    static func finish() {
        errno = 0
        if fflush(nil) != 0 {
            let reason = String(cString: strerror(errno == 0 ? EIO : errno))
            Failure(message: "cannot write standard output: \(reason)", status: ExitStatus.failure).exit()
        }
    }
}
