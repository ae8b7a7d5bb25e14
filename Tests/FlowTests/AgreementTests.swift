import Testing
import TestSupport
@testable import Flow

@Suite("Agreeing on a failure")
struct AgreementTests {
    @Test("every rank learns the lowest failing rank's failure, or that none failed")
    func agree() throws {
        let outcomes = ThreadGroup.run(size: 4) { comm -> [UInt8]? in
            comm.agree(failure: comm.rank == 2 || comm.rank == 3 ? Array("rank \(comm.rank) failed".utf8) : nil)
        }.map { try? $0.get() }
        #expect(outcomes.allSatisfy { $0 == .some(Array("rank 2 failed".utf8)) })
        let fine = ThreadGroup.run(size: 3) { comm in comm.agree(failure: nil) }.map { try? $0.get() }
        #expect(fine.allSatisfy { $0 == .some(nil) })
    }
}
