import Foundation
import Imputation
import TableIO

/// Where `impute` and `fit` put a finished table or model: a file (atomically, see
/// `AtomicFile`) or standard output.
package enum TableOutput {
    /// Writes `data` to `path`, or to standard output when nil. A failed write on standard
    /// output (a full disk, a closed descriptor) throws `FileWriteError` for status 1; the
    /// non-throwing `FileHandle.write(_:)` would trap instead.
    package static func write(_ data: Data, to path: String?) throws {
        guard let path else { return try write(data, to: .standardOutput, named: "standard output") }
        try AtomicFile.write(data, to: path)
    }

    /// Writes `data` to `path` (standard output when nil) a megabyte at a time, polling
    /// `shouldStop` before each: when it returns true the write stops with
    /// `ImputationError.cancelled`, and a file output's temporary file is removed (nothing appears).
    /// Ctrl-C during a long write of a big table thus leaves nothing behind.
    package static func write(_ data: Data, to path: String?, stoppingWhen shouldStop: @escaping () -> Bool) throws {
        func chunks(_ handle: FileHandle, named name: String) throws {
            var offset = data.startIndex
            while offset < data.endIndex {
                if shouldStop() { throw ImputationError.cancelled(completedRounds: 0) }
                let end = min(offset + chunkBytes, data.endIndex)
                try write(data[offset..<end], to: handle, named: name)
                offset = end
            }
        }
        guard let path else { return try chunks(.standardOutput, named: "standard output") }
        try AtomicFile.write(to: path) { try chunks($0, named: path) }
    }

    /// Writes a model file and, with `table`, a table beside it (at `tablePath`, or on standard
    /// output when nil): they land together or not at all (standard output is written before the
    /// model file is renamed into place).
    package static func write(model: Data, to path: String, table: Data?, tablePath: String?) throws {
        try AtomicFile.write(to: [path] + (tablePath.map { [$0] } ?? [])) { handles in
            try write(model, to: handles[0], named: path)
            if let table { try write(table, to: tablePath == nil ? .standardOutput : handles[1], named: tablePath ?? "standard output") }
        }
    }

    /// Bytes per write of `write(_:to:stoppingWhen:)`.
    package static let chunkBytes = 1 << 20

    /// Writes `data` to an open handle; a failure throws `FileWriteError` naming `name`.
    package static func write(_ data: Data, to handle: FileHandle, named name: String) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw FileWriteError(path: name, underlying: error)
        }
    }
}
