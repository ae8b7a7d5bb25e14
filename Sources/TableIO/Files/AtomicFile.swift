import Foundation

/// A file that could not be written; the message names it and gives the system's reason.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The file that could not be written.
    public var path: String
    /// Why, in words.
    public var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A failed Foundation write, in the system's words ("No space left on device").
    package init(path: String, underlying error: Error) {
        self.init(path: path, reason: FileInput.reason(for: error))
    }

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes a file so that readers only ever see the old contents or the complete new ones.
///
/// Why: `miri impute big.csv --output big-imputed.csv` may run for an hour and then fail or be
/// killed. Writing in place would leave half a file, or truncate a good output from a previous
/// run. Instead the data goes to a temporary file in the same folder (same file system, so
/// the final step is a rename), is flushed to disk with `fsync`, and is renamed over `path`,
/// which POSIX makes atomic. On any failure the temporary file is removed and whatever was
/// at `path` stays untouched. A replaced file's permission bits carry over to the new one.
///
/// A symbolic link to a regular file keeps being a link: its target is replaced the same way.
/// A device, a pipe, or a link to one (`/dev/null`, a fifo, `/proc/self/fd/1`) is written
/// through in place instead, as `cp` and shells do (see `OutputDestination`); there a failure
/// can leave part of the data written.
package enum AtomicFile {
    /// Writes `data` to `path` atomically.
    package static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in
            do {
                try handle.write(contentsOf: data)
            } catch {
                throw FileWriteError(path: path, underlying: error)
            }
        }
    }

    /// Lets `body` stream the contents into a handle, then puts them at `path` atomically.
    /// An error thrown by `body` is rethrown unchanged, after cleaning up.
    package static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let output = try StagedOutput.open(path)
        do {
            try body(output.handle)
            try output.finish()
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
