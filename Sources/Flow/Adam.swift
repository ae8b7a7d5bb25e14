import Foundation
import Linalg

/// Adam's hyperparameters, as a trainer takes them.
package struct AdamSettings: Sendable, Equatable {
    package var learningRate: Float
    package var beta1: Float
    package var beta2: Float
    package var epsilon: Float
    /// The decay of the moving average of the weights; nil: no average.
    package var averageDecay: Float?

    package init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, averageDecay: Float? = nil) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.averageDecay = averageDecay
    }
}

/// Adam (Kingma & Ba 2015) over one flat parameter buffer, in PyTorch's arithmetic:
///
///     m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
///     p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
///
/// One vectorised loop over contiguous memory, split across the workers (it streams
/// p, g, m, v: ~32 MB a step for the paper network, so it is memory-bound).
package final class Adam: @unchecked Sendable {
    package var learningRate: Float
    package let beta1: Float
    package let beta2: Float
    package let epsilon: Float
    package private(set) var step = 0
    let m: FloatBuffer
    let v: FloatBuffer
    /// With `averageDecay` a: after every update, average ← a·average + (1−a)·p (an exponential
    /// moving average of the iterates, read with `copyAverage(into:)`); nil: no average.
    package let averageDecay: Float?
    let average: FloatBuffer?

    package init(parameterCount: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                averageDecay: Float? = nil) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = FloatBuffer(count: parameterCount)
        v = FloatBuffer(count: parameterCount)
        self.averageDecay = averageDecay
        average = averageDecay == nil ? nil : FloatBuffer(count: parameterCount)
    }

    /// Starts the moving average at `parameters` (the values before the first update).
    package func startAverage(at parameters: FloatBuffer) {
        guard let average else { return }
        precondition(parameters.count == average.count)
        average.pointer.update(from: parameters.pointer, count: average.count)
    }

    /// Writes the moving average over `parameters` (no-op without `averageDecay`).
    package func copyAverage(into parameters: FloatBuffer) {
        guard let average else { return }
        precondition(parameters.count == average.count)
        parameters.pointer.update(from: average.pointer, count: average.count)
    }

    /// One update of all of `parameters` with `gradients`.
    package func update(parameters: FloatBuffer, gradients: FloatBuffer) {
        beginStep()
        update(parameters: parameters, gradients: gradients, range: 0..<m.count)
    }

    /// Advances the step count t. A step may then update its parameters part by part with
    /// `update(parameters:gradients:range:)`, e.g. each layer as soon as its gradient is complete,
    /// while that gradient and those weights are still in cache.
    package func beginStep() { step += 1 }

    /// Updates `parameters[range]` with `gradients[range]` at the current step t.
    /// The ranges of one step must not overlap; together they are the whole buffer.
    package func update(parameters: FloatBuffer, gradients: FloatBuffer, range: Range<Int>) {
        precondition(parameters.count == m.count && gradients.count == m.count && step > 0)
        precondition(range.lowerBound >= 0 && range.upperBound <= m.count)
        PhaseClock.measure(.adam) { apply(p: parameters.pointer, g: UnsafePointer(gradients.pointer), range: range) }
    }

    private func apply(p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, range: Range<Int>) {
        let t = Double(step)
        let coefficients = Kernels.AdamStep(
            beta1: beta1, beta2: beta2, epsilon: epsilon,
            stepSize: Float(Double(learningRate) / (1 - pow(Double(beta1), t))),
            invSqrtBias2: Float(1 / (1 - pow(Double(beta2), t)).squareRoot()))
        let mp = m.pointer, vp = v.pointer
        let ap = average?.pointer, a = averageDecay ?? 0
        let base = range.lowerBound
        Parallel.forEachChunk(count: range.count, align: 16, minimumPerWorker: 65_536) { chunk in
            let i = base + chunk.lowerBound
            // The average reads this chunk's new parameters in the same pass, while they are in registers.
            Kernels.adam(p: p + i, g: g + i, m: mp + i, v: vp + i, count: chunk.count, step: coefficients,
                         average: ap.map { $0 + i }, decay: a)
        }
    }
}
