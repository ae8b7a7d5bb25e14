import Foundation
import Imputation
import MIRI
@testable import miri
import TestSupport
import Testing

/// Issue 24, defect F: a table output stops at Ctrl-C between its chunks, and leaves nothing.
@Suite struct TableOutputTests {
    final class Counter: @unchecked Sendable { var polls = 0 }

    @Test("F: a write asked to stop after its second chunk throws cancelled and leaves no file, no temporary")
    func stopLeavesNothing() throws {
        let scratch = try Scratch()
        let data = Data(repeating: 0x41, count: 3 * TableOutput.chunkBytes + 5)
        let counter = Counter()
        #expect(throws: ImputationError.cancelled(completedRounds: 0)) {
            try TableOutput.write(data, to: scratch.file("o.csv").path, stoppingWhen: { counter.polls += 1; return counter.polls > 2 })
        }
        #expect(counter.polls == 3, "polled before each chunk")
        #expect(try scratch.listing().isEmpty)
    }

    @Test("F: never asked to stop, the whole table lands, every byte")
    func completeWrite() throws {
        let scratch = try Scratch()
        let data = Data((0..<(2 * TableOutput.chunkBytes + 7)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try TableOutput.write(data, to: scratch.file("o.csv").path, stoppingWhen: { false })
        #expect(try Data(contentsOf: scratch.file("o.csv")) == data)
        #expect(try scratch.listing() == ["o.csv"])
    }
}
