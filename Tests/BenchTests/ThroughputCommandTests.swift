import Foundation
import TestSupport
import Testing

/// `miri-bench throughput` refuses bad lists with a message naming the option (it used to trap
/// on `Int($0)!`). Only the validation runs: nothing is measured, nothing is timed.
@Suite("throughput's options")
struct ThroughputCommandTests {
    @Test("a bad entry in --hidden or --batches: exit 64 and a message naming the option", arguments: [
        (["--hidden", "16,x"], "--hidden"), (["--hidden", ""], "--hidden"), (["--hidden", "0"], "--hidden"),
        (["--batches", "50,,100"], "--batches"), (["--batches", "-3"], "--batches"), (["--threads", "0"], "--threads"),
    ])
    func badLists(_ arguments: [String], _ option: String) throws {
        let run = try Bench.run(["throughput"] + arguments)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains(option), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"), "\(run.stderr)")
    }
}
