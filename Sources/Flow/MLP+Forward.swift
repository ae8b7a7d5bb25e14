import Linalg

extension MLP {
    /// Forward pass for `rows` rows of `input` (rows × D0, row-major). The result is
    /// left in `workspace.output` (rows × DL); hidden activations stay for `backward`.
    package func forward(input: UnsafePointer<Float>, rows: Int, workspace ws: MLPWorkspace) {
        precondition(rows <= ws.capacity, "batch of \(rows) rows exceeds the workspace's \(ws.capacity)")
        let p = UnsafePointer(parameters.pointer)
        var a = input
        for (l, layer) in layers.enumerated() {
            let w = p + layer.weightOffset, b = p + layer.biasOffset
            if l == layers.count - 1 {
                let out = ws.output.pointer
                gemm(.none, .none, m: rows, n: layer.fanOut, k: layer.fanIn,
                     a: a, lda: layer.fanIn, b: w, ldb: layer.fanOut, c: out, ldc: layer.fanOut)
                Kernels.addBias(out, bias: b, rows: rows, cols: layer.fanOut)
            } else {
                let z = ws.z[l].pointer
                gemm(.none, .none, m: rows, n: layer.fanOut, k: layer.fanIn,
                     a: a, lda: layer.fanIn, b: w, ldb: layer.fanOut, c: z, ldc: layer.fanOut)
                Kernels.biasSiLU(z: z, bias: b, sigma: ws.sigma[l].pointer, h: ws.h[l].pointer,
                                 rows: rows, cols: layer.fanOut)
                a = UnsafePointer(ws.h[l].pointer)
            }
        }
    }

    /// Convenience forward pass on a matrix (allocates a workspace; for tests and small jobs).
    package func forward(_ input: Matrix) -> Matrix {
        precondition(input.cols == inputWidth, "input has \(input.cols) columns, network expects \(inputWidth)")
        let ws = MLPWorkspace(network: self, capacity: max(input.rows, 1))
        input.storage.withUnsafeBufferPointer { forward(input: $0.baseAddress!, rows: input.rows, workspace: ws) }
        return Matrix(rows: input.rows, cols: outputWidth,
                      storage: Array(UnsafeBufferPointer(start: ws.output.pointer, count: input.rows * outputWidth)))
    }
}
