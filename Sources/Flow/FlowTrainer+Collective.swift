import Linalg

/// A training step whose minibatch is split over the ranks of a data-parallel run.
extension FlowTrainer {
    /// One step on the global minibatch, of which this rank prepared `rows` rows (possibly 0).
    ///
    /// The loss is the mean over the missing cells of the *global* minibatch. Each rank
    /// back-propagates the gradient of its own sum of squared errors; one all-reduce sums those
    /// gradients with the ranks' loss sums and missing counts, and dividing by the global count
    /// gives exactly the gradient of the global loss (in exact arithmetic; one collective a step
    /// rather than a first one for the count). Every rank then takes the same Adam step from the
    /// same sum, so the network stays one network. Returns the global loss (the same on every
    /// rank), or nil when the global batch has nothing missing. With one rank this is
    /// `step(rows:)`, bit for bit (Adam layer by layer inside backward).
    @discardableResult
    package func step(rows: Int, communicator: Communicator) -> Float? {
        if communicator.size == 1 { return step(rows: rows) }
        let d = batch.d, p = gradients.count
        let out = reduced.pointer
        let count = rows > 0 ? batch.missingCount : 0     // counted by `prepare`; a rank may have no rows
        if count > 0 {
            network.forward(input: batch.input.pointer, rows: rows, workspace: workspace)
            let sum = Kernels.maskedSquaredError(output: workspace.output.pointer, target: batch.target.pointer,
                                                 mask: batch.missing.pointer, count: rows * d, scale: 2,
                                                 gradient: batch.gradient.pointer)
            network.backward(input: batch.input.pointer, rows: rows, outputGradient: batch.gradient.pointer,
                             workspace: workspace, gradients: gradients)
            out.update(from: gradients.pointer, count: p)
            out[p] = Float(sum)
        } else {
            out.update(repeating: 0, count: p + 1)
        }
        out[p + 1] = Float(count)           // exact: a batch holds far fewer than 2^24 cells
        communicator.allReduceSum(UnsafeMutableBufferPointer(start: out, count: p + 2))
        let total = out[p + 1]
        if total == 0 { return nil }
        let loss = out[p] / total
        guard loss.isFinite else { return loss }
        let scale = 1 / total
        for i in 0..<p { gradients.pointer[i] = out[i] * scale }
        adam.update(parameters: network.parameters, gradients: gradients)
        return loss
    }
}
