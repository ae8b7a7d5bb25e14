import Dispatch
import Foundation

/// Wall-clock totals of the phases of a training step or an ODE pass, for `miri-bench`'s breakdown.
///
/// A benchmark puts one in its `ComputeContext` (`clock`) and reads the totals after its loop;
/// without one, `measure` is a task-local read and a branch around the call. The phases are the
/// calls the package itself makes (sgemm, its elementwise kernels, Adam), so whatever is left of
/// a step's wall time is "other" (minibatch fill, loss, call overhead).
package final class PhaseClock: @unchecked Sendable {
    package enum Phase: Int, CaseIterable, Sendable {
        case gemm, elementwise, adam
        package var name: String { ["gemm", "elementwise", "adam"][rawValue] }
    }

    private let lock = NSLock()
    private var totals = [Duration](repeating: .zero, count: Phase.allCases.count)

    package init() {}

    /// Runs `body`, adding its wall time to `phase` on the current context's clock, if it has one.
    @inline(__always)
    package static func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        guard let clock = ComputeContext.current.clock else { return try body() }
        let start = ContinuousClock.now
        defer { clock.add(start.duration(to: .now), to: phase) }
        return try body()
    }

    private func add(_ duration: Duration, to phase: Phase) {
        lock.lock(); defer { lock.unlock() }
        totals[phase.rawValue] += duration
    }

    /// Seconds accumulated in `phase` since the last `reset`.
    package func seconds(_ phase: Phase) -> Double {
        lock.lock(); defer { lock.unlock() }
        return Stopwatch.seconds(totals[phase.rawValue])
    }

    package func reset() {
        lock.lock(); defer { lock.unlock() }
        totals = [Duration](repeating: .zero, count: Phase.allCases.count)
    }
}
