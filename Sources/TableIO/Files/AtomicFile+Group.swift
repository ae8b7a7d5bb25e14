import Foundation

/// Several files written as one: `miri apply --draws m` puts m tables in place, and either all
/// of them land or none does.
///
/// How: every output is opened first (so a folder in the way or a missing folder is found
/// before any work), `body` writes them all, each is flushed, and only then are they renamed
/// into place one by one. An existing file about to be replaced is first kept under a second,
/// hidden name (a hard link, so it never leaves its path); if a later rename fails, the
/// renames already done are undone from those copies, and the new files of paths that had
/// none are removed. A crash during the renames themselves (a few system calls per file) can
/// still leave some new and some old; the README says so.
extension AtomicFile {
    package static func write(to paths: [String], _ body: ([FileHandle]) throws -> Void) throws {
        var outputs: [StagedOutput] = []
        outputs.reserveCapacity(paths.count)
        do {
            // One after the other: thousands of outputs must not mean thousands of stack frames.
            for path in paths { outputs.append(try StagedOutput.open(path)) }
            try body(outputs.map(\.handle))
            for output in outputs { try output.finish() }
            try commit(outputs)
        } catch {
            for output in outputs { output.discard() }
            throw error
        }
    }

    /// Renames every output into place, or none: see the type's comment.
    private static func commit(_ outputs: [StagedOutput]) throws {
        let replaced = outputs.filter(\.isReplaced)
        guard replaced.count > 1 else { return try replaced.first?.commit() ?? () }
        var keeps: [KeptFile?] = []
        defer { for keep in keeps { keep?.remove() } }
        for output in replaced { keeps.append(try KeptFile(of: output.target!, for: output.path)) }
        for (i, output) in replaced.enumerated() {
            do {
                try keeps[i]?.moveAsideIfNeeded()
                try output.commit()
            } catch {
                for j in stride(from: i, through: 0, by: -1) {
                    if let keep = keeps[j] { keep.restore() } else if j < i { unlink(replaced[j].target!) }
                }
                throw error
            }
        }
    }
}

/// An existing file's contents kept under a hidden name while a group of outputs is renamed
/// into place, so that the old file can be put back.
private final class KeptFile {
    let target: String
    let copy: String
    /// A hard link could not be made (a file system without them): the file is renamed aside
    /// just before its replacement instead, so its path is empty for a moment.
    private var mustMove: Bool
    private var restored = false

    /// Nil when nothing is at `target` (then a rollback removes the new file). Throws when
    /// something other than a regular file took the place since the output was opened.
    init?(of target: String, for path: String) throws {
        var info = stat()
        guard lstat(target, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT != S_IFREG {
            throw FileWriteError(path: path, reason: info.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "it is no longer a regular file")
        }
        let (folder, name) = StagedOutput.split(target)
        self.target = target
        // The temporary files' pattern, so a crash leaves nothing the next run does not clean.
        self.copy = "\(folder)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        mustMove = link(target, copy) != 0
    }

    func moveAsideIfNeeded() throws {
        guard mustMove else { return }
        if rename(target, copy) != 0 { throw FileWriteError(path: target, reason: FileInput.systemReason(errno)) }
        mustMove = false
    }

    /// Puts the old file back at its path.
    func restore() {
        if !mustMove, rename(copy, target) == 0 { restored = true }
    }

    /// Drops the copy once it is not needed (after success, or after a restore it is gone).
    func remove() {
        if !restored { unlink(copy) }
    }
}
