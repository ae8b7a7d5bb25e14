import Foundation

/// How an output path is written: replaced through a temporary file and a rename, or written
/// through in place.
///
/// Why two ways: renaming over a path replaces whatever the path names. For a regular file
/// that is the point (readers see the old file or the whole new one). For a device such as
/// `/dev/null`, a pipe, or a symbolic link it is wrong: as root, `-o /dev/null` would put a
/// regular file where the system's null device was, and `-o link` would replace the link
/// instead of writing to what it points at. Those are written through, as `cp` and shells do.
enum OutputDestination: Equatable {
    /// Write a temporary file beside `target` and rename it over `target`. For a symbolic link
    /// to a regular file, `target` is the file the link resolves to, so the link stays.
    case replace(target: String)
    /// Open the path for writing and write in place (devices, pipes, links that do not
    /// resolve to an ordinary path such as `/proc/self/fd/1`).
    case writeThrough

    /// How `path` is to be written; throws for a directory, naming `path`.
    static func of(_ path: String) throws -> OutputDestination {
        var link = stat()
        guard lstat(path, &link) == 0 else { return .replace(target: path) }   // nothing there yet
        let linkType = link.st_mode & S_IFMT
        if linkType == S_IFREG { return .replace(target: path) }
        if linkType == S_IFDIR { throw FileWriteError(path: path, reason: "it is a directory") }
        if linkType != S_IFLNK { return .writeThrough }                         // device, pipe, socket

        var target = stat()
        guard stat(path, &target) == 0 else { return .writeThrough }          // dangling: the shell's `>` creates the target
        let type = target.st_mode & S_IFMT
        if type == S_IFDIR { throw FileWriteError(path: path, reason: "it is a link to a directory") }
        guard type == S_IFREG, let resolved = realPath(path) else { return .writeThrough }
        // /proc/self/fd/N resolves to a name that need not be the file (a pipe, a deleted file):
        // rename only when the resolved name is the very file the link reaches.
        var check = stat()
        guard stat(resolved, &check) == 0, check.st_dev == target.st_dev, check.st_ino == target.st_ino else {
            return .writeThrough
        }
        return .replace(target: resolved)
    }

    /// The canonical absolute path of `path`, links resolved, or nil.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
