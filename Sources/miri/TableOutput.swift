import Foundation
import TableIO

/// Where `impute` and `fit` put a finished table or model: a file (atomically, see
/// `AtomicFile`) or standard output.
enum TableOutput {
    /// Writes `data` to `path`, or to standard output when nil. A failed write on standard
    /// output (a full disk, a closed descriptor) throws `FileWriteError` for status 1; the
    /// non-throwing `FileHandle.write(_:)` would trap instead.
    static func write(_ data: Data, to path: String?) throws {
        guard let path else { return try write(data, to: .standardOutput, named: "standard output") }
        try AtomicFile.write(data, to: path)
    }

    /// Writes `data` to an open handle; a failure throws `FileWriteError` naming `name`.
    static func write(_ data: Data, to handle: FileHandle, named name: String) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw FileWriteError(path: name, underlying: error)
        }
    }
}
