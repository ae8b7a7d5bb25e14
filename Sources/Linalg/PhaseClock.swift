import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock totals of the phases of a training step or an ODE pass, for `miri-bench`'s breakdown.
///
/// Off by default: then `measure` is one load and a branch around the call. A benchmark turns it
/// on, runs its loop on one thread of control, and reads the totals; the phases are the calls the
/// package itself makes (sgemm, its elementwise kernels, Adam), so whatever is left of a step's
/// wall time is "other" (minibatch fill, loss, call overhead).
public enum PhaseClock {
    public enum Phase: Int, CaseIterable, Sendable {
        case gemm, elementwise, adam
        public var name: String { ["gemm", "elementwise", "adam"][rawValue] }
    }

    /// On: totals the calls made on the thread that turned it on (a benchmark's loop); the parts
    /// other workers run at the same time (e.g. the ODE's row parts) are theirs, not added in.
    nonisolated(unsafe) public static var isEnabled = false {
        didSet { owner = pthread_self() }
    }
    nonisolated(unsafe) static var owner = pthread_self()
    nonisolated(unsafe) static var totals = [UInt64](repeating: 0, count: Phase.allCases.count)

    /// Runs `body`, adding its wall time to `phase` when the clock is on.
    @inline(__always)
    public static func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        guard isEnabled, pthread_equal(owner, pthread_self()) != 0 else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { totals[phase.rawValue] &+= DispatchTime.now().uptimeNanoseconds &- start }
        return try body()
    }

    /// Seconds accumulated in `phase` since the last `reset`.
    public static func seconds(_ phase: Phase) -> Double { Double(totals[phase.rawValue]) / 1e9 }

    public static func reset() { totals = [UInt64](repeating: 0, count: Phase.allCases.count) }
}
