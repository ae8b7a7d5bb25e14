import Linalg

extension MLP {
    /// Backward pass after `forward` on the same `input`, `rows` and workspace.
    ///
    /// `outputGradient` is ∂loss/∂output (rows × DL). Writes ∂loss/∂parameters into
    /// `gradients` (same layout as `parameters`), overwriting it: one backward per step,
    /// so no separate zeroing pass over the ~8 MB buffer is needed.
    ///
    /// `layerFinished` is called with a layer's parameter range (weights and bias) as soon as its
    /// gradient is complete and the pass no longer reads its weights, so an optimizer can update
    /// that layer while its gradient and weights are still in cache.
    package func backward(input: UnsafePointer<Float>, rows: Int, outputGradient: UnsafePointer<Float>,
                         workspace ws: MLPWorkspace, gradients: FloatBuffer,
                         layerFinished: (Range<Int>) -> Void = { _ in }) {
        precondition(gradients.count == parameters.count)
        let p = UnsafePointer(parameters.pointer), g = gradients.pointer
        var dOut = outputGradient           // ∂loss/∂(this layer's output), rows × fanOut
        var spare = ws.gradA.pointer
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            let aIn = l == 0 ? input : UnsafePointer(ws.h[l - 1].pointer)   // rows × fanIn
            // ∂W = aInᵀ · dOut   (fanIn × fanOut); ∂b = column sums of dOut.
            gemm(.transposed, .none, m: layer.fanIn, n: layer.fanOut, k: rows,
                 a: aIn, lda: layer.fanIn, b: dOut, ldb: layer.fanOut,
                 c: g + layer.weightOffset, ldc: layer.fanOut)
            let gb = g + layer.biasOffset
            gb.update(repeating: 0, count: layer.fanOut)
            Kernels.accumulateColumnSums(dOut, rows: rows, cols: layer.fanOut, into: gb)
            if l == 0 { layerFinished(layer.parameterRange); break }
            // ∂aIn = dOut · Wᵀ (rows × fanIn), then through the SiLU of layer l−1.
            gemm(.none, .transposed, m: rows, n: layer.fanIn, k: layer.fanOut,
                 a: dOut, lda: layer.fanOut, b: p + layer.weightOffset, ldb: layer.fanOut,
                 c: spare, ldc: layer.fanIn)
            layerFinished(layer.parameterRange)
            Kernels.siluBackward(gradient: spare, sigma: ws.sigma[l - 1].pointer, h: ws.h[l - 1].pointer,
                                 count: rows * layer.fanIn)
            dOut = UnsafePointer(spare)
            spare = spare == ws.gradA.pointer ? ws.gradB.pointer : ws.gradA.pointer
        }
    }
}
