import Evaluation
import Foundation
import Testing
import Flow
import Linalg
import TestSupport
@testable import Imputation

@Suite("MIRI fitted by several ranks")
struct CollectiveFitTests {
    static let table: Matrix = {
        var random = RandomSource(seed: 5)
        let truth = SyntheticTables.copula(rows: 150, random: &random)
        return MCARMask.apply(truth, rate: 0.25, seed: 9).masked
    }()

    static var configuration: MIRIConfiguration {
        var c = MIRIConfiguration.fast
        c.rounds = 2
        c.stepsPerRound = 30
        c.chainRows = 400      // three imputations side by side: the stacked path too
        c.seed = 4
        return c
    }

    static func fit(size: Int) throws -> [(model: FittedMIRI, imputed: Matrix?)] {
        let imputer = MIRIImputer(configuration: configuration, compute: ComputeContext(threads: 1))
        return try ThreadGroup.run(size: size) { comm in try imputer.fitAndImpute(table, communicator: comm) }.map { try $0.get() }
    }

    @Test("one model on every rank; rank 0's table keeps every observed cell and fills every missing one", arguments: [2, 3])
    func ranks(size: Int) throws {
        let results = try Self.fit(size: size)
        let first = results[0].model.networks.map { Array(UnsafeBufferPointer(start: $0.parameters.pointer, count: $0.parameterCount)) }
        for (rank, result) in results.enumerated() {
            let networks = result.model.networks.map { Array(UnsafeBufferPointer(start: $0.parameters.pointer, count: $0.parameterCount)) }
            #expect(networks == first, "rank \(rank) holds another model")
            #expect((result.imputed == nil) == (rank != 0))
        }
        let imputed = try #require(results[0].imputed)
        let data = Self.table
        #expect(imputed.rows == data.rows && imputed.cols == data.cols)
        for k in 0..<data.count {
            if data.storage[k].isNaN { #expect(imputed.storage[k].isFinite) } else { #expect(imputed.storage[k].bitPattern == data.storage[k].bitPattern) }
        }
        // Same seed, threads and P: the same output.
        #expect(try Self.fit(size: size)[0].imputed!.storage.map(\.bitPattern) == imputed.storage.map(\.bitPattern))
    }

    @Test("one rank is the single-process fit, bit for bit")
    func oneRank() throws {
        let imputer = MIRIImputer(configuration: Self.configuration, compute: ComputeContext(threads: 1))
        let single = try imputer.fitAndImpute(Self.table).imputed
        let one = try #require(try imputer.fitAndImpute(Self.table, communicator: SingleProcess()).imputed)
        #expect(one.storage.map(\.bitPattern) == single.storage.map(\.bitPattern))
    }
}

extension MIRIImputer {
    /// The fit of `data` (the whole table, on every rank) split over `communicator`'s ranks: rank
    /// r takes the r-th of P contiguous blocks (`fitAndImpute(block:communicator:)`); rank 0 gets
    /// the completed table, the others nil. With one rank: `fitAndImpute(data)`.
    func fitAndImpute(_ data: Matrix, communicator comm: Communicator) throws -> (model: FittedMIRI, imputed: Matrix?) {
        if comm.size == 1 {
            let (model, imputed) = try fitAndImpute(data)
            return (model, imputed)
        }
        let n = data.rows, d = data.cols
        let lo = n * comm.rank / comm.size, hi = n * (comm.rank + 1) / comm.size
        let block = Matrix(rows: hi - lo, cols: d, storage: Array(data.storage[(lo * d)..<(hi * d)]))
        let (model, imputed) = try fitAndImpute(block: block, communicator: comm)
        let parts = comm.gather(imputed.storage.withUnsafeBytes { Array($0) }, root: 0)
        guard comm.rank == 0 else { return (model, nil) }
        let storage = parts.flatMap { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        return (model, Matrix(rows: n, cols: d, storage: storage))
    }
}
