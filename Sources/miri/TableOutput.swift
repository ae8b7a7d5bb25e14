import Foundation
import TableIO

/// Where `impute` and `fit --output` put a finished table: a file (atomically, see
/// `AtomicFile`) or standard output.
enum TableOutput {
    /// Writes `data` to `path`, or to standard output when nil. A failed write on standard
    /// output (a full disk, a closed descriptor) throws `FileWriteError` for status 1; the
    /// non-throwing `FileHandle.write(_:)` would trap instead.
    static func write(_ data: Data, to path: String?) throws {
        guard let path else {
            do {
                try FileHandle.standardOutput.write(contentsOf: data)
            } catch {
                throw FileWriteError(path: "standard output", underlying: error)
            }
            return
        }
        try AtomicFile.write(data, to: path)
    }
}
