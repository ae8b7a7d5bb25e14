import Linalg

/// One network, its optimizer and every buffer a training step needs, allocated once.
///
/// A step is: fill the minibatch (SPEC 2c), forward, loss and its gradient, backward, Adam.
/// Nothing is allocated inside `step`, so a round's thousands of steps cost only their arithmetic.
package final class FlowTrainer {
    package let network: MLP
    package let adam: Adam
    let workspace: MLPWorkspace
    let gradients: FloatBuffer
    let batch: FlowBatch
    /// The gradient, the loss sum and the missing count of a step split over ranks, all-reduced
    /// together (`step(rows:communicator:)`); allocated on the first such step.
    lazy var reduced = FloatBuffer(count: gradients.count + 2)

    /// A trainer for `network` on tables of `columns` columns, minibatches of up to `batchCapacity` rows;
    /// `observedPartnerWeight` λ: a missing entry whose partner observes it counts 1 + λ times in the loss.
    package init(network: MLP, columns: Int, batchCapacity: Int, optimizer o: AdamSettings, observedPartnerWeight: Float = 0) {
        precondition(network.inputWidth == 3 * columns + 1 && network.outputWidth == columns)
        self.network = network
        adam = Adam(parameterCount: network.parameterCount, learningRate: o.learningRate,
                    beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, averageDecay: o.averageDecay)
        adam.startAverage(at: network.parameters)
        workspace = MLPWorkspace(network: network, capacity: batchCapacity)
        gradients = FloatBuffer(count: network.parameterCount)
        batch = FlowBatch(capacity: batchCapacity, columns: columns)
        batch.observedPartnerWeight = observedPartnerWeight
    }

    /// Fills the minibatch for row indices `rows` of `x` (n × d) with partners `partner` and mask `observed`.
    package func prepare(rows: ArraySlice<Int>, data x: UnsafePointer<Float>, observed: UnsafePointer<Float>,
                        partner: [Int], random: inout RandomSource) {
        batch.fill(rows: rows, data: x, observed: observed, partner: partner, random: &random)
    }

    /// Ends training: with `weightAverageDecay`, the network takes the moving average of its weights.
    package func finish() {
        adam.copyAverage(into: network.parameters)
    }

    /// Forward, loss, backward and one Adam update on the prepared minibatch of `rows` rows.
    /// Returns the loss before the update, or nil (and no update) if the batch has nothing missing.
    /// A non-finite loss is returned as is and the update is skipped; the caller decides what it means.
    @discardableResult
    package func step(rows: Int) -> Float? {
        network.forward(input: batch.input.pointer, rows: rows, workspace: workspace)
        guard let loss = batch.lossAndGradient(output: workspace.output.pointer, rows: rows) else { return nil }
        guard loss.isFinite else { return loss }
        // Adam runs layer by layer inside the backward pass, while each gradient is still in cache.
        adam.beginStep()
        network.backward(input: batch.input.pointer, rows: rows, outputGradient: batch.gradient.pointer,
                         workspace: workspace, gradients: gradients) { range in
            adam.update(parameters: network.parameters, gradients: gradients, range: range)
        }
        return loss
    }
}
