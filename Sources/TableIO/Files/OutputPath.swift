import Foundation

/// An output path that can never be written as a file (`OutputPath.check`).
public struct OutputPathError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path as given.
    public var path: String
    /// Why it is not a file name.
    public var reason: String

    public var description: String { "\(path): \(reason); the output must name a file" }
}

/// Checks of an output path made before any work.
public enum OutputPath {
    /// Checked before any work, so a run that could only fail at its end (or, for `--draws`,
    /// write `/.1` beside a directory) is refused at once.
    /// Throws `OutputPathError` when `path` is a directory, a link to one, or has no file name (it ends in `/`,
    /// or its last part is `.` or `..`). A path that does not exist yet, a regular file, a
    /// device or a pipe passes; whether it can be written is found out when it is.
    public static func check(_ path: String) throws {
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if path.isEmpty || path.hasSuffix("/") || last == "." || last == ".." {
            throw OutputPathError(path: path, reason: path.isEmpty ? "an empty path" : "it has no file name")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            var link = stat()
            let isLink = lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
            throw OutputPathError(path: path, reason: isLink ? "it is a link to a directory" : "it is a directory")
        }
    }

    /// The folder holding the file `path` names ("." for a bare name, "/" at the root).
    package static func folder(of path: String) -> String { StagedOutput.split(path).folder }
}
