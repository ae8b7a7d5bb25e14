import Dispatch

/// Splits elementwise work across a fixed number of workers.
///
/// Chunk boundaries depend only on the element count and the worker count (the current
/// `ComputeContext`'s), never on timing, so every result is the same from run to run for one
/// thread count.
package enum Parallel {
    /// Calls `body` on `[0, count)` split into at most `workers` contiguous ranges (default: the
    /// current context's), each a multiple of `align` elements long except the last. Small
    /// inputs run inline.
    package static func forEachChunk(count: Int, align: Int = 64, minimumPerWorker: Int = 32_768,
                                     workers: Int = ComputeContext.current.workers,
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
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
