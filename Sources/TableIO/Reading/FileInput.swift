import Foundation

/// Opens and reads input files, turning failures into `CSVError.unreadable` with the
/// system's reason ("No such file or directory", "Permission denied", "Is a directory").
///
/// Why not `Data(contentsOf:)` alone: on Linux its errors read "The operation could not be
/// completed", which tells a user nothing. Opening with `open(2)` first gives the errno.
enum FileInput {
    /// A handle reading `path` from its start.
    static func open(path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CSVError(.unreadable(reason: "it is a directory"), source: path)
        }
        let descriptor = Foundation.open(path, O_RDONLY)
        if descriptor < 0 { throw CSVError(.unreadable(reason: systemReason(errno)), source: path) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The whole file at `path`.
    static func readAll(path: String) throws -> [UInt8] {
        try readAll(from: open(path: path), source: path)
    }

    /// Everything left in `handle` (for standard input: until end of input).
    static func readAll(from handle: FileHandle, source: String) throws -> [UInt8] {
        do {
            guard let data = try handle.readToEnd() else { return [] }
            return [UInt8](data)
        } catch {
            throw CSVError(.unreadable(reason: reason(for: error)), source: source)
        }
    }

    /// Up to `count` bytes from `handle`; empty at end of input.
    static func read(upTo count: Int, from handle: FileHandle, source: String) throws -> Data {
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw CSVError(.unreadable(reason: reason(for: error)), source: source)
        }
    }

    /// The text the system gives for an `errno` value.
    static func systemReason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A Foundation I/O error as the system's own words, when it wraps a POSIX error.
    static func reason(for error: Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return systemReason(Int32(underlying.code))
        }
        if error.domain == NSPOSIXErrorDomain { return systemReason(Int32(error.code)) }
        return error.localizedDescription
    }
}
