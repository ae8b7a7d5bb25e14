/// Wall time since it was started, on `ContinuousClock`: the one way the package, the tool and
/// the benchmark measure seconds.
package struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    package init() {}

    /// Seconds since the stopwatch was made.
    package var seconds: Double { Self.seconds(start.duration(to: .now)) }

    /// A duration in seconds.
    package static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
