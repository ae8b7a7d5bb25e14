#if MPI
import Linalg
import CMPI
import Flow
import Dispatch
import Foundation

/// MPI_COMM_WORLD as a `Communicator`. MPI is initialised by `world()` (once, funneled: only the
/// main thread calls MPI) and finalised when the process exits.
package final class MPICommunicator: Communicator {
    package let rank: Int
    package let size: Int
    private let comm: MPI_Comm
    /// All-reduces so far on this rank: calls, bytes reduced, and seconds inside MPI (for
    /// docs/scaling.md; a clock read per call is nothing beside the call).
    package private(set) var reduceCalls = 0, reduceBytes = 0, reduceSeconds = 0.0

    private init() {
        // A rank waiting in a collective yields its core instead of spinning (unless the user set
        // otherwise): on a node shared with other work, a spinning rank starves the rank it
        // waits for. Measured on 2 cores with two compilers running: a fit of 45,730 rows on
        // 2 ranks took 41 s spinning, 12 s yielding (docs/scaling.md).
        setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0)
        var provided: Int32 = 0
        MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided)
        atexit { MPI_Finalize() }
        comm = cmpi_comm_world()
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(comm, &r)
        MPI_Comm_size(comm, &s)
        rank = Int(r)
        size = Int(s)
    }

    nonisolated(unsafe) private static var shared: MPICommunicator?

    /// The world communicator, MPI initialised on first use.
    package static func world() -> MPICommunicator {
        if let shared { return shared }
        let made = MPICommunicator()
        shared = made
        return made
    }

    /// Ends every rank of the job with `status`.
    package func abort(status: Int32) -> Never {
        MPI_Abort(comm, status)
        exit(status)
    }

    /// MPI counts are Int32: long buffers go in pieces: reduces in pieces of 2^28 elements (a
    /// reduce's summation order may depend on its size, so this one stays fixed), byte transfers
    /// in pieces of 2^28 bytes, or of `MIRI_MPI_PIECE` bytes, so that scripts/test-mpi.sh can cut
    /// small messages into many uneven pieces.
    private static let reducePiece = 1 << 28
    private static let piece: Int = {
        let asked = ProcessInfo.processInfo.environment["MIRI_MPI_PIECE"].flatMap { Int($0) } ?? 0
        return asked > 0 && asked <= 1 << 28 ? asked : 1 << 28
    }()

    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        reduce(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, stride: 4, type: cmpi_float(), op: cmpi_sum())
    }

    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        reduce(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, stride: 8, type: cmpi_double(), op: cmpi_sum())
    }

    package func allReduceMin(_ buffer: UnsafeMutableBufferPointer<Double>) {
        reduce(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, stride: 8, type: cmpi_double(), op: cmpi_min())
    }

    private func reduce(_ base: UnsafeMutableRawPointer?, count: Int, stride: Int, type: MPI_Datatype, op: MPI_Op) {
        guard let base, count > 0 else { return }
        let clock = Stopwatch()
        defer {
            reduceCalls += 1
            reduceBytes += count * stride
            reduceSeconds += clock.seconds
        }
        var start = 0
        while start < count {
            let n = min(Self.reducePiece, count - start)
            MPI_Allreduce(UnsafeRawPointer(cmpi_in_place()), base + start * stride, Int32(n), type, op, comm)
            start += n
        }
    }

    package func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var start = 0
        while start < buffer.count {
            let n = min(Self.piece, buffer.count - start)
            MPI_Bcast(base + start, Int32(n), cmpi_uint8(), Int32(root), comm)
            start += n
        }
    }

    package func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]] {
        // Counts first, then each rank's bytes, in pieces below MPI's Int32 counts.
        let sizes = allGather(bytes.count)
        var out: [[UInt8]] = []
        var tag: Int32 = 0
        if rank == root {
            for r in 0..<size {
                if r == root { out.append(bytes); continue }
                var part = [UInt8](repeating: 0, count: sizes[r])
                part.withUnsafeMutableBytes { p in
                    var start = 0
                    tag = 0
                    while start < p.count {
                        let n = min(Self.piece, p.count - start)
                        MPI_Recv(p.baseAddress! + start, Int32(n), cmpi_uint8(), Int32(r), tag, comm, nil)
                        start += n
                        tag += 1
                    }
                }
                out.append(part)
            }
        } else {
            bytes.withUnsafeBytes { p in
                var start = 0
                while start < p.count {
                    let n = min(Self.piece, p.count - start)
                    MPI_Send(p.baseAddress! + start, Int32(n), cmpi_uint8(), Int32(root), tag, comm)
                    start += n
                    tag += 1
                }
            }
        }
        return out
    }

    package func allToAll(_ parts: [[UInt8]]) -> [[UInt8]] {
        precondition(parts.count == size, "one part per rank")
        // Counts first (one MPI_Alltoall), then a pairwise exchange: at step k rank r sends to
        // r + k and receives from r − k, in pieces below MPI's Int32 counts.
        var sendCounts = parts.map { Int64($0.count) }, receiveCounts = [Int64](repeating: 0, count: size)
        sendCounts.withUnsafeMutableBytes { send in
            receiveCounts.withUnsafeMutableBytes { receive in
                _ = MPI_Alltoall(send.baseAddress, 1, cmpi_int64(), receive.baseAddress, 1, cmpi_int64(), comm)
            }
        }
        var out = receiveCounts.map { [UInt8](repeating: 0, count: Int($0)) }
        out[rank] = parts[rank]
        for k in 1..<max(size, 1) {
            let to = (rank + k) % size, from = (rank - k + size) % size
            // Each message goes in ⌈count / piece⌉ pieces, piece i with tag i; sender and receiver
            // both know its count, so the pieces match whatever the other messages' sizes.
            parts[to].withUnsafeBytes { send in
                out[from].withUnsafeMutableBytes { receive in
                    var requests: [MPI_Request?] = []
                    for start in stride(from: 0, to: receive.count, by: Self.piece) {
                        var request: MPI_Request?
                        MPI_Irecv(receive.baseAddress! + start, Int32(min(Self.piece, receive.count - start)), cmpi_uint8(), Int32(from),
                                  Int32(start / Self.piece), comm, &request)
                        requests.append(request)
                    }
                    for start in stride(from: 0, to: send.count, by: Self.piece) {
                        var request: MPI_Request?
                        MPI_Isend(send.baseAddress! + start, Int32(min(Self.piece, send.count - start)), cmpi_uint8(), Int32(to),
                                  Int32(start / Self.piece), comm, &request)
                        requests.append(request)
                    }
                    _ = MPI_Waitall(Int32(requests.count), &requests, nil)
                }
            }
        }
        return out
    }
}
#endif
