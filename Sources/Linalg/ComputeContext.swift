import CBLAS
import Foundation

/// How a computation uses the machine: its threads, who threads a matrix product, and
/// (for benchmarks) a clock over its phases.
///
/// Every imputer holds one (`compute`), and every call it makes runs under it, so two
/// imputations in one process never share a setting: each can use its own thread count, and
/// the results of one do not depend on what the other does. The default is the fast path for
/// a caller who sets nothing: one worker per core, each product split over them, OpenBLAS
/// itself on one thread (its own threads busy-wait between calls and slow everything that
/// runs between two products; docs/performance.md, "Where the time goes, and who runs it").
///
/// The same threads and seed give the same output; other thread counts may differ in the last bits.
public struct ComputeContext: Sendable, Equatable {
    /// Threads the computation uses (at least 1): the package's workers, which also split
    /// each matrix product into column blocks.
    public var threads: Int

    /// Who threads a product: the package (columns split over `threads`, each block a
    /// single-threaded sgemm; the default) or OpenBLAS (one call on `threads` OpenBLAS threads,
    /// kept for benchmark comparisons: it sets OpenBLAS's process-wide thread count).
    package var productSplitting: ProductSplitting = .package

    /// Workers of the package's elementwise loops and Adam when they differ from `threads`
    /// (a benchmark knob); nil: `threads`.
    package var elementwiseThreads: Int?

    /// Adds the wall time of each phase to this clock when set (benchmarks).
    package var clock: PhaseClock?

    /// A context with `threads` threads (at least 1).
    public init(threads: Int) {
        precondition(threads >= 1, "thread count must be at least 1, got \(threads)")
        self.threads = threads
    }

    /// One thread per active core: what `miri` uses without `--threads`.
    public static let `default` = ComputeContext(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Workers of the package's elementwise loops.
    package var workers: Int { elementwiseThreads ?? threads }

    public static func == (a: ComputeContext, b: ComputeContext) -> Bool {
        a.threads == b.threads && a.productSplitting == b.productSplitting
            && a.elementwiseThreads == b.elementwiseThreads && a.clock === b.clock
    }
}

/// Who threads one matrix product (see `ComputeContext.productSplitting`).
package enum ProductSplitting: Sendable {
    case package
    case openBLAS
}

extension ComputeContext {
    /// The context of the computation running on this task or thread (`.default` outside any `run`).
    @TaskLocal package static var current = ComputeContext.default

    /// Runs `body` with this context as `current`, OpenBLAS's thread count set to match.
    package func run<T>(_ body: () throws -> T) rethrows -> T {
        BLASRuntime.ensureKernels()   // the core is chosen before OpenBLAS is first called
        BLASThreads.set(productSplitting == .package ? 1 : threads)
        return try ComputeContext.$current.withValue(self, operation: body)
    }
}

/// OpenBLAS's own thread count is process-wide. The package's threading wants 1: the first
/// switch to it happens once (a lazily initialised constant, so two threads starting at the same
/// time never both call into OpenBLAS's setter), and later calls change it only when it differs,
/// which happens only after a benchmark ran with OpenBLAS's threading.
enum BLASThreads {
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    static func set(_ n: Int) {
        if n == 1 { _ = singleThreaded }
        if openblas_get_num_threads() != Int32(n) { openblas_set_num_threads(Int32(n)) }
    }
}
