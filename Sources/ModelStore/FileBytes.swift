import Foundation
import TableIO

/// Whole-file reads and atomic whole-file writes for model and checkpoint files, with the
/// system's reason in every error ("No such file or directory", "Permission denied").
enum FileBytes {
    /// Every byte of the file at `path`.
    static func read(path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ModelFileError(.unreadable(reason: "it is a directory"), source: path)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw ModelFileError(.unreadable(reason: String(cString: strerror(errno))), source: path) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw ModelFileError(.unreadable(reason: (error as NSError).localizedDescription), source: path)
        }
    }

    /// Writes `bytes` to `path` through a temporary file and a rename (`AtomicFile`), so a
    /// reader never sees half a file and a failure leaves the old file in place.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(Data(bytes), to: path)
    }
}
