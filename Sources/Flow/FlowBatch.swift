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
    /// t of each row, drawn by `fill`.
    private let times: FloatBuffer
    /// Missing cells among the rows `fill` last built (the loss's denominator); whoever fills
    /// the buffers another way sets it.
    var missingCount = 0
    /// Extra loss weight λ of a missing entry whose partner observes that coordinate: such an entry
    /// counts 1 + λ times (0: SPEC's plain mean; see `MIRIConfiguration.observedPartnerWeight`).
    /// The loss stays divided by the count of missing entries (Adam does not see the scale).
    var observedPartnerWeight: Float = 0

    init(capacity: Int, columns d: Int) {
        self.capacity = capacity
        self.d = d
        input = FloatBuffer(count: capacity * (3 * d + 1))
        target = FloatBuffer(count: capacity * d)
        missing = FloatBuffer(count: capacity * d)
        gradient = FloatBuffer(count: capacity * d)
        times = FloatBuffer(count: capacity)
    }

    /// Fills the batch for row indices `rows`: x0 = X[i], x1 = X[partner[i]], o = O[i], t ~ U(0, 1).
    ///
    ///     xt = t·x1 + (1−t)·x0
    ///     u  = o⊙x0 + (1−o)⊙xt     (observed coordinates pinned to the row's own values)
    ///     w  = o⊙x1 + (1−o)⊙xt     (observed coordinates pinned to the partner's values)
    func fill(rows: ArraySlice<Int>, data x: UnsafePointer<Float>, observed o: UnsafePointer<Float>,
              partner: [Int], random: inout RandomSource) {
        precondition(rows.count <= capacity)
        missingCount = 0
        if rows.isEmpty { return }
        // The times first, one per row in batch order (the random stream of the per-row loop this
        // replaced), then the rows in one kernel at the CPU's width.
        for r in 0..<rows.count { times.pointer[r] = random.uniformFloat() }
        missingCount = rows.withContiguousStorageIfAvailable { rowIndices in
            partner.withUnsafeBufferPointer { partners in
                Kernels.flowBatch(data: x, observed: o, rows: rowIndices.baseAddress!, partner: partners.baseAddress!,
                                  times: times.pointer, count: rows.count, columns: d, input: input.pointer,
                                  target: target.pointer, missing: missing.pointer)
            }
        }!
        if observedPartnerWeight != 0 {
            let lambda = observedPartnerWeight
            for (r, i) in rows.enumerated() {
                let p = o + partner[i] * d, m = missing.pointer + r * d
                for j in 0..<d where m[j] != 0 && p[j] != 0 { m[j] = 1 + lambda }
            }
        }
    }

    /// The loss `mean over missing entries of (f − (x1 − x0))²` for the network output `f`
    /// (B × d), and its gradient with respect to `f` written into `gradient`.
    /// Returns nil when the batch has no missing entry (nothing to learn from it).
    func lossAndGradient(output f: UnsafePointer<Float>, rows: Int) -> Float? {
        let n = rows * d
        let count = missingCount
        if count == 0 { return nil }
        let sum = Kernels.maskedSquaredError(output: f, target: target.pointer, mask: missing.pointer, count: n,
                                             scale: 2 / Float(count), gradient: gradient.pointer)
        return Float(sum / Double(count))
    }
}
