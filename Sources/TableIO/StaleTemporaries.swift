import Foundation

/// Removes the temporary files that killed writers left beside an output.
///
/// Why: a write goes to `.NAME.PID.RAND.tmp` beside NAME and is renamed at the end, so
/// `kill -9` or a power cut mid-write leaves that hidden file (up to the table's size) and no
/// later run would ever look at it. The next write of the same NAME removes those whose writer
/// PID is no longer running. A live PID's file is kept (another writer may be at work, or the
/// PID was reused: then the file waits for a later run), and so is anything not of this exact
/// pattern. A folder shared between machines or PID namespaces can hold files of writers this
/// process cannot see; their PIDs mean nothing here, which is why only regular files matching
/// the pattern exactly are touched.
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
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }

    /// Whether a process with this PID exists (one of another user counts: EPERM).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }
}
