import ArgumentParser
import Foundation
import TableIO

/// The outputs of `miri-bench`: checked before a run starts (a run of hours must not end on a
/// path that could never be written), and written with a one-line error. Statuses as `miri`'s:
/// 2 for a path that names no file or a file where a folder must be, 1 for one that cannot be
/// written (no such folder, no permission).
enum BenchOutput {
    /// Refuses `path` (given as `option`) unless a file can be created there: it names a file
    /// (not a directory, not ending in `/`) in an existing, writable folder.
    static func checkFile(_ path: String, option: String) throws {
        do { try OutputPath.check(path) } catch let error as OutputPathError { throw fail("\(option) \(error.description)", status: 2) }
        try checkWritableFolder(OutputPath.folder(of: path), for: path, option: option)
    }

    /// Refuses `path` (given as `option`) unless it is a folder, or one can be created there.
    static func checkFolder(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw fail("\(option) \(path): it is a file; the output must name a folder", status: 2) }
            if access(path, W_OK) != 0 { throw fail("\(option) \(path): cannot write in this folder (permission denied)", status: 1) }
            return
        }
        // Created with its missing parents: the nearest existing ancestor must be a writable folder.
        // (Not NSString's deletingLastPathComponent: Foundation 6.3 traps on some relative paths, "q".)
        var ancestor = OutputPath.folder(of: path)
        while !FileManager.default.fileExists(atPath: ancestor) {
            let parent = OutputPath.folder(of: ancestor)
            if parent == ancestor { break }
            ancestor = parent
        }
        try checkWritableFolder(ancestor, for: path, option: option)
    }

    /// Writes `data` to the file `path` atomically; a failure is one line and status 1.
    static func write(_ data: Data, to path: String, option: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw fail("\(option) \(path): cannot write (\(reason(error)))", status: 1)
        }
    }

    /// Creates the folder `path` with its parents; a failure is one line and status 1.
    static func createFolder(_ path: String, option: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw fail("\(option) \(path): cannot create the folder (\(reason(error)))", status: 1)
        }
    }

    private static func checkWritableFolder(_ folder: String, for path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw fail("\(option) \(path): the folder \(folder) does not exist", status: 1)
        }
        guard isDirectory.boolValue else { throw fail("\(option) \(path): \(folder) is not a folder", status: 1) }
        if access(folder, W_OK) != 0 { throw fail("\(option) \(path): cannot write in the folder \(folder) (permission denied)", status: 1) }
    }

    /// The underlying system error's text, without Foundation's dictionary dump.
    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// Prints `message` as `miri-bench: error: …` and returns the exit to throw.
    private static func fail(_ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("miri-bench: error: \(message)\n".utf8))
        return ExitCode(status)
    }
}
