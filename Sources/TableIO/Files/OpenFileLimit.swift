import Foundation

/// The number of files a process may have open at once (`ulimit -n`), checked before
/// `miri apply --draws m` opens its m outputs.
///
/// Why up front: each draw's output stays open while the input streams through, so m outputs
/// need m descriptors at once. Finding out at the thousandth open would waste the work before
/// it and give a vague "Too many open files". The soft limit is raised toward the hard one
/// when that suffices (the soft default of 1,024 is kept for old `select()` code, which this
/// tool does not use); beyond the hard limit the run is refused.
package enum OpenFileLimit {
    /// Descriptors the tool needs besides the outputs: standard streams, the input, the model
    /// while it is read, the dispatch runtime's own.
    package static let reserve = 32

    /// unlimited (all ones on Linux), which Swift does not import as a constant.
    private static let unlimited = rlim_t.max

    /// The limits, when `outputs` more files (plus `reserve`) cannot be open at once even after
    /// raising the soft limit; nil when they can.
    package static func shortfall(outputs: Int) -> (soft: Int, hard: Int)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let (needed, overflow) = outputs.addingReportingOverflow(reserve)
        let wanted = overflow ? unlimited : rlim_t(needed)
        if limit.rlim_cur != unlimited, limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        if limit.rlim_cur == unlimited || limit.rlim_cur >= wanted { return nil }
        return (Int(limit.rlim_cur), limit.rlim_max == unlimited ? Int.max : Int(limit.rlim_max))
    }
}
