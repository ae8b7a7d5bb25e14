/// The processes of a data-parallel run and the collective operations they take part in.
///
/// A run on P processes ("ranks") splits the table's rows among them; the algorithm stays one
/// algorithm because every rank calls the same collectives in the same order. `SingleProcess`
/// (P = 1, every collective the identity) is the default; the MPI build adds one over MPI
/// (module Cluster), and tests use one over threads.
///
/// Every method is collective: all ranks call it, in the same order, with buffers of the same
/// length (`gather` excepted), or the run hangs.
package protocol Communicator: AnyObject {
    /// This process, 0 ..< size.
    var rank: Int { get }
    /// Processes in the run.
    var size: Int { get }
    /// Replaces `buffer` on every rank with the elementwise sum over the ranks. Every rank ends
    /// with the same bits.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>)
    /// As the Float version, in Double.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Replaces `buffer` with the elementwise minimum over the ranks.
    func allReduceMin(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Copies root's `buffer` to every rank's.
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int)
    /// Root receives every rank's `bytes` (index = rank); the others receive [].
    func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]]
    /// Every rank sends `parts[s]` to rank s and receives what each rank sent it (index =
    /// sender). `parts` has `size` entries on every rank; their lengths may differ.
    func allToAll(_ parts: [[UInt8]]) -> [[UInt8]]
}

/// How the ranks of a run agree that a step failed: a step that may throw on some ranks and not
/// others runs inside `agreed`, so that every rank throws (and none waits in a collective the
/// failed one never reaches). The tool's agreement also decides the message and exit status.
package protocol FailureAgreement {
    /// Runs `body` on every rank; throws on every rank when it threw on any.
    func agreed<T>(_ body: () throws -> T) throws -> T
}

/// One process: every collective leaves its data as it is.
package final class SingleProcess: Communicator {
    package init() {}
    package var rank: Int { 0 }
    package var size: Int { 1 }
    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {}
    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    package func allReduceMin(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    package func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) {}
    package func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]] { [bytes] }
    package func allToAll(_ parts: [[UInt8]]) -> [[UInt8]] { parts }
}

extension Communicator {
    /// All-to-all as one gather per rank (rank s gathers what every rank sends it): for
    /// communicators without a native exchange; the MPI one has its own.
    package func allToAll(_ parts: [[UInt8]]) -> [[UInt8]] {
        precondition(parts.count == size, "one part per rank")
        var received: [[UInt8]] = []
        for root in 0..<size {
            let gathered = gather(parts[root], root: root)
            if root == rank { received = gathered }
        }
        return received
    }

    /// Every rank's `value`, in rank order, on every rank (exact for integers below 2⁵³).
    package func allGather(_ value: Int) -> [Int] {
        allGather([value]).map { $0[0] }
    }

    /// Every rank's `values` (the same count on every rank), in rank order, on every rank: one
    /// all-reduce of a slot per rank (exact for integers below 2⁵³).
    package func allGather(_ values: [Int]) -> [[Int]] {
        let k = values.count
        var slots = [Double](repeating: 0, count: k * size)
        for (i, v) in values.enumerated() { slots[rank * k + i] = Double(v) }
        let all = sum(slots).map { Int($0) }
        return (0..<size).map { Array(all[($0 * k)..<($0 * k + k)]) }
    }

    /// The sum over the ranks of `values`.
    package func sum(_ values: [Double]) -> [Double] {
        var out = values
        out.withUnsafeMutableBufferPointer { allReduceSum($0) }
        return out
    }

    /// The minimum over the ranks of `values`.
    package func minimum(_ values: [Double]) -> [Double] {
        var out = values
        out.withUnsafeMutableBufferPointer { allReduceMin($0) }
        return out
    }

    /// Root's `bytes` on every rank (the others' arguments are ignored).
    package func broadcast(bytes: [UInt8], root: Int) -> [UInt8] {
        var count = rank == root ? bytes.count : 0
        withUnsafeMutableBytes(of: &count) { broadcast($0, root: root) }
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { broadcast($0, root: root) }
        return out
    }

    /// Root's Floats on every rank.
    package func broadcast(_ values: inout [Float], root: Int) {
        values.withUnsafeMutableBytes { broadcast($0, root: root) }
    }

    /// Whether any rank failed, agreed by all: nil when none did, else the failure of the
    /// lowest failing rank, the same on every rank. Each rank passes its own (nil: fine).
    ///
    /// A rank that fails calls this where the others do instead of leaving the run, so no rank
    /// waits forever in a collective the failed one never reaches.
    package func agree(failure: [UInt8]?) -> [UInt8]? {
        let first = Int(minimum([failure == nil ? Double(size) : Double(rank)])[0])
        if first == size { return nil }
        return broadcast(bytes: failure ?? [], root: first)
    }
}
