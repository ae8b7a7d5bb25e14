import Flow
import Foundation
import TableIO

/// Outputs written by every rank of an mpirun job: each rank writes its rows to a part file
/// beside the output, and rank 0 joins the header and the parts, in order, into the output.
package enum RankParts {
    /// Rank `rank`'s part of output `path`: a hidden file beside it (on the same file system,
    /// which every rank must see), named as `AtomicFile`'s temporaries (`.NAME.PID.RANK.tmp`) so
    /// that one left by a killed run is removed by the next write of NAME (`StaleTemporaries`).
    package static func path(_ path: String, rank: Int) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(rank).tmp").path
    }

    /// Creates a part file and holds the lock that marks its writer as alive.
    package static func create(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 { throw FileWriteError(path: path, reason: "cannot create this process's part of the output (\(String(cString: strerror(errno))))") }
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// This rank's rows of an output, staged for rank 0's join: in a part file beside the output,
    /// kept open until `remove()` (its lock tells every writer of the output that the part is no
    /// killed run's leftover: `StaleTemporaries` goes by the PID only for processes of this
    /// machine), or, for standard output, gathered in rank 0's memory.
    package struct Staged {
        fileprivate enum Staging {
            /// Part files: on rank 0 every part's name and length; this rank's own part.
            case files(names: [String], lengths: [Int], own: String, handle: FileHandle)
            /// Every rank's rows on rank 0 (empty elsewhere).
            case gathered([[UInt8]])
        }
        fileprivate let staging: Staging

        /// Closes and removes this rank's part (after rank 0's join).
        package func remove() {
            guard case let .files(_, _, own, handle) = staging else { return }
            try? handle.close()
            try? FileManager.default.removeItem(atPath: own)
        }
    }

    /// Every rank's `rows` (its rows of the output, in rank order) staged for the output at
    /// `path` (nil: standard output). Collective; a failure to write a part is agreed. The caller
    /// removes the part (`remove()`, or by `path(path, rank:)` after a failure) when rank 0 has joined.
    package static func stage(_ rows: [UInt8], for path: String?, communicator: Communicator,
                              agreement: FailureAgreement) throws -> Staged {
        guard let path else { return Staged(staging: .gathered(communicator.gather(rows, root: 0))) }
        let name = Self.path(path, rank: communicator.rank)
        let handle = try agreement.agreed { () throws -> FileHandle in
            let handle = try Self.create(name)
            do {
                try handle.write(contentsOf: rows)
                try handle.synchronize()          // on disk before rank 0, maybe on another machine, reads it
            } catch {
                throw FileWriteError(path: name, underlying: error)
            }
            return handle
        }
        let names = communicator.gather(Array(name.utf8), root: 0).map { String(decoding: $0, as: UTF8.self) }
        let lengths = communicator.allGather(rows.count)
        return Staged(staging: .files(names: names, lengths: communicator.rank == 0 ? lengths : [], own: name, handle: handle))
    }

    /// Rank 0: `header`, then the staged rows in rank order, into `output`.
    package static func join(_ parts: Staged, header: [UInt8], into output: FileHandle, named name: String) throws {
        switch parts.staging {
        case let .files(names, lengths, _, _):
            try StreamingImputation.join(header: header, parts: names, lengths: lengths.map { [$0] },
                                         batches: names.count, into: output, named: name)
        case let .gathered(rows):
            do {
                try output.write(contentsOf: header)
                for part in rows { try output.write(contentsOf: part) }
            } catch {
                throw FileWriteError(path: name, underlying: error)
            }
        }
    }
}
