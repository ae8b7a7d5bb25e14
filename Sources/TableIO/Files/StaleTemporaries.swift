import Foundation

/// Removes the temporary files that killed writers left beside an output.
///
/// Why: a write goes to `.NAME.PID.RAND.tmp` beside NAME and is renamed at the end, so
/// `kill -9` or a power cut mid-write leaves that hidden file (up to the table's size) and no
/// later run would ever look at it. The next write of the same NAME removes those whose writer
/// is gone: its PID is not running here, and no one holds the lock every writer keeps on its
/// temporary file (`StagedOutput` takes it with `flock`). The lock is what protects a live
/// writer this process cannot see as a PID (another PID namespace on the same machine, such as
/// a container sharing the folder); the PID check keeps the file of a writer whose lock could
/// not be taken. Only regular files of exactly this pattern are touched.
enum StaleTemporaries {
    /// Removes `.name.PID.RAND.tmp` in `folder` for every PID that is not running.
    static func remove(for name: String, in folder: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let prefix = ".\(name)."
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let middle = entry.dropFirst(prefix.count).dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, UInt32(middle[1]) != nil, !isRunning(pid) else { continue }
            let path = "\(folder)/\(entry)"
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, !isLocked(path) { unlink(path) }
        }
    }

    /// Whether a writer holds the lock on the file at `path` (a file that cannot be opened
    /// counts as locked: it is left alone).
    static func isLocked(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) != 0
    }

    /// Whether a process with this PID exists (one of another user counts: EPERM).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }
}
