import Foundation

/// A file that could not be written; the message names it and gives the system's reason.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
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
public enum AtomicFile {
    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in
            do {
                try handle.write(contentsOf: data)
            } catch {
                throw FileWriteError(path: path, reason: FileInput.reason(for: error))
            }
        }
    }

    /// Lets `body` stream the contents into a handle, then puts them at `path` atomically.
    /// An error thrown by `body` is rethrown unchanged, after cleaning up.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let (folder, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw FileWriteError(path: path, reason: "not a file name")
        }
        let temporary = "\(folder)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if descriptor < 0 {
            throw FileWriteError(path: path, reason: "cannot create a file in \(folder): \(FileInput.systemReason(errno))")
        }
        var existing = stat()
        if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }

        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try body(handle)
            if fsync(descriptor) != 0 {
                throw FileWriteError(path: path, reason: "cannot flush to disk: \(FileInput.systemReason(errno))")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        if close(descriptor) != 0 {
            let reason = FileInput.systemReason(errno)
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = FileInput.systemReason(errno)
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
        syncFolder(folder)
    }

    /// The folder holding `path` and the file's name in it.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Makes the rename itself durable. Best effort: some file systems refuse, and the data
    /// is already safe either way.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
