import Linalg

/// One training minibatch of the rectified-flow objective (SPEC step 2c), in preallocated buffers.
///
/// Shapes: B = rows in the batch (≤ capacity), d = columns, network input width 3d+1.
///   input    B × (3d+1)  rows [u, w, o, t]
///   target   B × d       x1 − x0
///   missing  B × d       1 − o
///   gradient B × d       ∂loss/∂f
final class FlowBatch {
    let capacity: Int
    let d: Int
    let input: FloatBuffer
    let target: FloatBuffer
    let missing: FloatBuffer
    let gradient: FloatBuffer

    init(capacity: Int, columns d: Int) {
        self.capacity = capacity
        self.d = d
        input = FloatBuffer(count: capacity * (3 * d + 1))
        target = FloatBuffer(count: capacity * d)
        missing = FloatBuffer(count: capacity * d)
        gradient = FloatBuffer(count: capacity * d)
    }

    /// Fills the batch for row indices `rows`: x0 = X[i], x1 = X[partner[i]], o = O[i], t ~ U(0, 1).
    ///
    ///     xt = t·x1 + (1−t)·x0
    ///     u  = o⊙x0 + (1−o)⊙xt     (observed coordinates pinned to the row's own values)
    ///     w  = o⊙x1 + (1−o)⊙xt     (observed coordinates pinned to the partner's values)
    func fill(rows: ArraySlice<Int>, data x: UnsafePointer<Float>, observed o: UnsafePointer<Float>,
              partner: [Int], random: inout RandomSource) {
        precondition(rows.count <= capacity)
        let width = 3 * d + 1
        for (r, i) in rows.enumerated() {
            let t = random.uniformFloat()
            let x0 = x + i * d, x1 = x + partner[i] * d, oi = o + i * d
            let row = input.pointer + r * width
            let tgt = target.pointer + r * d, miss = missing.pointer + r * d
            for j in 0..<d {
                let xt = t * x1[j] + (1 - t) * x0[j]
                let isObserved = oi[j] != 0
                row[j] = isObserved ? x0[j] : xt
                row[d + j] = isObserved ? x1[j] : xt
                row[2 * d + j] = oi[j]
                tgt[j] = x1[j] - x0[j]
                miss[j] = isObserved ? 0 : 1
            }
            row[3 * d] = t
        }
    }

    /// The loss `mean over missing entries of (f − (x1 − x0))²` for the network output `f`
    /// (B × d), and its gradient with respect to `f` written into `gradient`.
    /// Returns nil when the batch has no missing entry (nothing to learn from it).
    func lossAndGradient(output f: UnsafePointer<Float>, rows: Int) -> Float? {
        let n = rows * d
        var count = 0
        for k in 0..<n where missing.pointer[k] != 0 { count += 1 }
        if count == 0 { return nil }
        let sum = Kernels.maskedSquaredError(output: f, target: target.pointer, mask: missing.pointer, count: n,
                                             scale: 2 / Float(count), gradient: gradient.pointer)
        return Float(sum / Double(count))
    }
}
