import Imputation
import Foundation
import Testing
import Linalg
import TestSupport
@testable import Flow

@Suite("Training split over ranks")
struct CollectiveStepTests {
    /// A minibatch of `batch` rows prepared once; rank r of `size` gets rows r·B/P ..< (r+1)·B/P of it.
    static func setup(batch: Int) -> (network: MLP, whole: FlowTrainer, d: Int) {
        var random = RandomSource(seed: 3)
        let d = 4, n = 64
        let x = (0..<(n * d)).map { _ in Float(random.normal()) }
        let o = (0..<(n * d)).map { _ in random.uniformFloat() < 0.6 ? Float(1) : 0 }
        let partner = random.permutation(n)
        let network = MLP(widths: [3 * d + 1, 17, 9, d], random: &random)
        let whole = FlowTrainer(network: network.copy(), columns: d, batchCapacity: batch, optimizer: MIRIConfiguration.fast.optimizer)
        x.withUnsafeBufferPointer { xs in
            o.withUnsafeBufferPointer { os in
                whole.prepare(rows: partner.prefix(batch), data: xs.baseAddress!, observed: os.baseAddress!, partner: partner, random: &random)
            }
        }
        return (network, whole, d)
    }

    @Test("the all-reduced gradient of a split minibatch is the whole minibatch's gradient, and every rank steps alike",
          arguments: [2, 3, 5])
    func splitGradient(size: Int) throws {
        let batch = 12
        let (network, whole, d) = Self.setup(batch: batch)
        let width = 3 * d + 1
        let results = try ThreadGroup.run(size: size) { comm -> ([Float], [Float], Float?) in
            let lower = comm.rank * batch / comm.size, upper = (comm.rank + 1) * batch / comm.size
            let trainer = FlowTrainer(network: network.copy(), columns: d, batchCapacity: batch, optimizer: MIRIConfiguration.fast.optimizer)
            let rows = upper - lower
            trainer.batch.input.pointer.update(from: whole.batch.input.pointer + lower * width, count: rows * width)
            trainer.batch.target.pointer.update(from: whole.batch.target.pointer + lower * d, count: rows * d)
            trainer.batch.missing.pointer.update(from: whole.batch.missing.pointer + lower * d, count: rows * d)
            trainer.batch.missingCount = (0..<(rows * d)).filter { trainer.batch.missing.pointer[$0] != 0 }.count
            let loss = trainer.step(rows: rows, communicator: comm)
            return (Array(UnsafeBufferPointer(start: trainer.gradients.pointer, count: trainer.gradients.count)),
                    Array(UnsafeBufferPointer(start: trainer.network.parameters.pointer, count: trainer.network.parameterCount)), loss)
        }.map { try $0.get() }
        let wholeLoss = try #require(whole.step(rows: batch))
        let truth = Array(UnsafeBufferPointer(start: whole.gradients.pointer, count: whole.gradients.count))
        let scale = truth.map { abs($0) }.max()!
        for (gradient, parameters, loss) in results {
            #expect(abs(try #require(loss) - wholeLoss) <= 1e-5 * wholeLoss)
            #expect(zip(gradient, truth).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
            #expect(parameters == results[0].1, "every rank holds the same network")
        }
    }

    @Test("one rank takes the single-process step, bit for bit")
    func oneRank() throws {
        let batch = 12
        let (_, a, _) = Self.setup(batch: batch)
        let (_, b, _) = Self.setup(batch: batch)
        let la = a.step(rows: batch), lb = b.step(rows: batch, communicator: SingleProcess())
        #expect(la == lb)
        #expect(Array(UnsafeBufferPointer(start: a.network.parameters.pointer, count: a.network.parameterCount))
                == Array(UnsafeBufferPointer(start: b.network.parameters.pointer, count: b.network.parameterCount)))
    }
}
