import Flow
import Imputation
import Foundation

/// P ranks of a data-parallel run as P threads of one process, for tests of the distributed
/// code paths: every collective is an exchange of bytes through one shared slot per rank.
/// Sums add the ranks' values in rank order, so every rank gets the same bits.
package final class ThreadGroup: @unchecked Sendable {
    package let size: Int
    private let condition = NSCondition()
    private var slots: [[UInt8]]
    private var published: [[UInt8]] = []
    private var arrived = 0
    private var generation = 0

    private init(size: Int) {
        self.size = size
        slots = Array(repeating: [], count: size)
    }

    /// Waits until every rank has deposited its bytes, then returns all of them (index = rank).
    func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = bytes
        arrived += 1
        if arrived == size {
            published = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return published
    }

    /// Runs `body` on `size` threads, one communicator each; returns their results by rank.
    package static func run<T>(size: Int, _ body: @escaping (Communicator) throws -> T) -> [Result<T, Error>] {
        let group = ThreadGroup(size: size)
        let box = Box(body)
        let results = Results<T>(count: size)
        let done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            let thread = Thread {
                results.set(rank, Result { try box.body(ThreadRank(group: group, rank: rank)) })
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        done.wait()
        return results.values.map { $0! }
    }

    /// The body, shared by the threads (each calls it with its own communicator).
    private final class Box<T>: @unchecked Sendable {
        let body: (Communicator) throws -> T
        init(_ body: @escaping (Communicator) throws -> T) { self.body = body }
    }

    private final class Results<T>: @unchecked Sendable {
        let lock = NSLock()
        var values: [Result<T, Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: Result<T, Error>) { lock.lock(); values[i] = value; lock.unlock() }
    }
}

/// One rank of a `ThreadGroup`.
package final class ThreadRank: Communicator {
    let group: ThreadGroup
    package let rank: Int
    package var size: Int { group.size }

    init(group: ThreadGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    private func combine<T: Numeric & Comparable>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: (T, T) -> T) {
        let all = group.exchange(rank: rank, Array(UnsafeRawBufferPointer(buffer)))
        for i in 0..<buffer.count {
            var value = all[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: T.self) }
            for r in 1..<all.count {
                value = op(value, all[r].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: T.self) })
            }
            buffer[i] = value
        }
    }

    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) { combine(buffer, +) }
    package func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) { combine(buffer, +) }
    package func allReduceMin(_ buffer: UnsafeMutableBufferPointer<Double>) { combine(buffer, min) }

    package func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) {
        let all = group.exchange(rank: rank, Array(UnsafeRawBufferPointer(buffer)))
        if rank != root, buffer.count > 0 { all[root].withUnsafeBytes { buffer.copyMemory(from: $0) } }
    }

    package func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]] {
        let all = group.exchange(rank: rank, bytes)
        return rank == root ? all : []
    }
}
