import Imputation
import Testing
import Linalg
@testable import Flow

@Suite("Training step")
struct TrainerStepTests {
    @Test("Adam layer by layer inside backward equals backward, then Adam over all parameters")
    func layerwiseAdam() {
        var random = RandomSource(seed: 8)
        let d = 3, n = 40, batch = 16
        let x = (0..<(n * d)).map { _ in Float(random.normal()) }
        let o = (0..<(n * d)).map { _ in random.uniformFloat() < 0.5 ? Float(1) : 0 }
        let partner = random.permutation(n)
        var config = MIRIConfiguration.fast
        config.learningRate = 0.05            // large steps: using an updated weight in backward would show
        let network = MLP(widths: [3 * d + 1, 13, 11, d], random: &random)
        let reference = network.copy()

        let trainer = FlowTrainer(network: network, columns: d, batchCapacity: batch, optimizer: config.optimizer)
        let adam = Adam(parameterCount: reference.parameterCount, learningRate: config.learningRate,
                        beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon)
        let ws = MLPWorkspace(network: reference, capacity: batch)
        let gradients = FloatBuffer(count: reference.parameterCount)
        var fill = random
        x.withUnsafeBufferPointer { xs in
            o.withUnsafeBufferPointer { os in
                for step in 0..<4 {
                    let rows = partner[(step * batch % (n - batch))...].prefix(batch)
                    var trainerRandom = fill, referenceRandom = fill
                    trainer.prepare(rows: rows, data: xs.baseAddress!, observed: os.baseAddress!, partner: partner, random: &trainerRandom)
                    let loss = trainer.step(rows: batch)

                    // The reference: the same minibatch, a full backward, then one Adam update of everything.
                    let b = FlowBatch(capacity: batch, columns: d)
                    b.fill(rows: rows, data: xs.baseAddress!, observed: os.baseAddress!, partner: partner, random: &referenceRandom)
                    reference.forward(input: b.input.pointer, rows: batch, workspace: ws)
                    let referenceLoss = b.lossAndGradient(output: ws.output.pointer, rows: batch)
                    reference.backward(input: b.input.pointer, rows: batch, outputGradient: b.gradient.pointer,
                                       workspace: ws, gradients: gradients)
                    adam.update(parameters: reference.parameters, gradients: gradients)
                    #expect(abs(loss! - referenceLoss!) <= 1e-5 * referenceLoss!)
                    fill = trainerRandom
                }
            }
        }
        let moved = zip(network.parameters.array, reference.parameters.array)
        // Ranges that start off a multiple of 8 send a few elements through Adam's scalar tail (≤ 2 ulp apart).
        #expect(moved.allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(network.parameters.array != MLP(widths: network.widths).parameters.array)
    }

    @Test("backward reports every layer once, last layer first, covering all parameters")
    func layerRanges() {
        var random = RandomSource(seed: 9)
        let net = MLP(widths: [4, 6, 5, 2], random: &random)
        let rows = 3
        let input = (0..<(rows * 4)).map { _ in random.uniformFloat(in: -1, 1) }
        let upstream = [Float](repeating: 1, count: rows * 2)
        let ws = MLPWorkspace(network: net, capacity: rows)
        var ranges: [Range<Int>] = []
        net.forward(input: input, rows: rows, workspace: ws)
        net.backward(input: input, rows: rows, outputGradient: upstream, workspace: ws,
                     gradients: FloatBuffer(count: net.parameterCount)) { ranges.append($0) }
        #expect(ranges == [net.layers[2].parameterRange, net.layers[1].parameterRange, net.layers[0].parameterRange])
        #expect(ranges.map(\.count).reduce(0, +) == net.parameterCount)
    }
}
