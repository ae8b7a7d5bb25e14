import Linalg

/// A training step whose minibatch is split over the ranks of a data-parallel run.
extension FlowTrainer {
    /// One step on the global minibatch, of which this rank prepared `rows` rows (possibly 0).
    ///
    /// The loss is the mean over the missing cells of the *global* minibatch: the ranks first
    /// sum their counts of missing cells, each scales its gradient by 2 / (global count), and
    /// the all-reduced gradient is then exactly the gradient of the global loss. Every rank
    /// takes the same Adam step from the same sum, so the network stays one network.
    /// Returns the global loss (the same on every rank), or nil when the global batch has
    /// nothing missing. With one rank this is `step(rows:)`, bit for bit (Adam layer by layer).
    @discardableResult
    package func step(rows: Int, communicator: Communicator) -> Float? {
        if communicator.size == 1 { return step(rows: rows) }
        let d = batch.d
        var localCount = 0
        for k in 0..<(rows * d) where batch.missing.pointer[k] != 0 { localCount += 1 }
        let count = communicator.sum([Double(localCount)])[0]
        if count == 0 { return nil }
        var localSum = 0.0
        if rows > 0 {
            network.forward(input: batch.input.pointer, rows: rows, workspace: workspace)
            localSum = Kernels.maskedSquaredError(output: workspace.output.pointer, target: batch.target.pointer,
                                                  mask: batch.missing.pointer, count: rows * d, scale: 2 / Float(count),
                                                  gradient: batch.gradient.pointer)
            network.backward(input: batch.input.pointer, rows: rows, outputGradient: batch.gradient.pointer,
                             workspace: workspace, gradients: gradients)
        } else {
            gradients.pointer.update(repeating: 0, count: gradients.count)
        }
        communicator.allReduceSum(UnsafeMutableBufferPointer(start: gradients.pointer, count: gradients.count))
        let loss = Float(communicator.sum([localSum])[0] / count)
        guard loss.isFinite else { return loss }
        adam.update(parameters: network.parameters, gradients: gradients)
        return loss
    }
}
