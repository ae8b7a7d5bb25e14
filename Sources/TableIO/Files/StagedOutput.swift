import Foundation

/// One output being written: either a temporary file waiting to be renamed into place, or a
/// device, pipe or link target written through (see `OutputDestination`).
///
/// The life of one: `open` (creates the temporary file, or opens the destination), writes
/// through `handle`, `finish` (flushes to disk and closes), then `commit` (renames into place);
/// `discard` at any point before `commit` removes the temporary file. `AtomicFile` drives one
/// or several of these.
final class StagedOutput {
    /// The path as the caller gave it, for messages.
    let path: String
    let handle: FileHandle
    /// Where the rename goes (the path, or a link's resolved target); nil when written through.
    let target: String?
    private let temporary: String?
    private var descriptor: Int32

    private init(path: String, descriptor: Int32, target: String?, temporary: String?) {
        self.path = path
        self.descriptor = descriptor
        self.target = target
        self.temporary = temporary
        self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    }

    /// Whether this output is renamed into place at `commit` (false: written in place).
    var isReplaced: Bool { temporary != nil }

    static func open(_ path: String) throws -> StagedOutput {
        switch try OutputDestination.of(path) {
        case let .replace(target):
            return try openTemporary(path: path, target: target)
        case .writeThrough:
            let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            if descriptor < 0 { throw FileWriteError(path: path, reason: FileInput.systemReason(errno)) }
            return StagedOutput(path: path, descriptor: descriptor, target: nil, temporary: nil)
        }
    }

    private static func openTemporary(path: String, target: String) throws -> StagedOutput {
        let (folder, name) = split(target)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw FileWriteError(path: path, reason: "not a file name")
        }
        StaleTemporaries.remove(for: name, in: folder)
        let temporary = "\(folder)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = Foundation.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if descriptor < 0 {
            throw FileWriteError(path: path, reason: "cannot create a file in \(folder): \(FileInput.systemReason(errno))")
        }
        // Held until the descriptor closes: tells `StaleTemporaries` this writer is alive.
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        var existing = stat()
        if stat(target, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        return StagedOutput(path: path, descriptor: descriptor, target: target, temporary: temporary)
    }

    /// Flushes a temporary file to disk and closes the output.
    func finish() throws {
        if isReplaced, fsync(descriptor) != 0 {
            throw FileWriteError(path: path, reason: "cannot flush to disk: \(FileInput.systemReason(errno))")
        }
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 { throw FileWriteError(path: path, reason: FileInput.systemReason(errno)) }
    }

    /// Closes the output if still open and removes the temporary file. What was written
    /// through to a device or pipe cannot be taken back.
    func discard() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        if let temporary { unlink(temporary) }
    }

    /// Renames the temporary file over its target (after `finish`); nothing for an output
    /// written through.
    func commit() throws {
        guard let temporary, let target else { return }
        if rename(temporary, target) != 0 {
            let reason = FileInput.systemReason(errno)
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
        Self.syncFolder(Self.split(target).folder)
    }

    /// The folder holding `path` and the file's name in it.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Makes a rename itself durable. Best effort: some file systems refuse, and the data
    /// is already safe either way.
    static func syncFolder(_ folder: String) {
        let descriptor = Foundation.open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
