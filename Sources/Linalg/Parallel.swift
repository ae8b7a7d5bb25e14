import Dispatch

/// Splits elementwise work across a fixed number of workers.
///
/// Chunk boundaries depend only on the element count and `workers`, never on
/// timing, so every result is the same from run to run for one thread count.
public enum Parallel {
    /// Workers for this package's own elementwise loops; set with `BLASRuntime.setThreads`.
    nonisolated(unsafe) public static var workers: Int = 1

    /// Calls `body` on `[0, count)` split into at most `workers` contiguous ranges,
    /// each a multiple of `align` elements long except the last. Small inputs run inline.
    public static func forEachChunk(count: Int, align: Int = 64, minimumPerWorker: Int = 32_768,
                                    _ body: (Range<Int>) -> Void) {
        let n = Swift.min(workers, Swift.max(1, count / minimumPerWorker))
        if n <= 1 { body(0..<count); return }
        let chunk = ((count + n - 1) / n + align - 1) / align * align
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: n) { w in
                let lo = Swift.min(w * chunk, count), hi = Swift.min(lo + chunk, count)
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }
}

/// Hands a value to worker threads whose accesses the caller keeps disjoint.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
