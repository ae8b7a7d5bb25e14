import Linalg

/// Buffers for forward passes that need only the network's output (the ODE sampler): two
/// ping-pong activation blocks instead of the three per layer that training keeps for backward.
package final class InferenceWorkspace: @unchecked Sendable {
    package let capacity: Int
    let ping: FloatBuffer
    let pong: FloatBuffer
    package let output: FloatBuffer

    package init(network: MLP, capacity: Int) {
        self.capacity = capacity
        let widest = network.widths.dropFirst().dropLast().max() ?? 1
        ping = FloatBuffer(count: capacity * widest)
        pong = FloatBuffer(count: capacity * widest)
        output = FloatBuffer(count: capacity * network.outputWidth)
    }
}

extension MLP {
    /// Forward pass for `rows` rows of `input` with nothing kept for a backward pass; the result
    /// is left in `workspace.output`. Same bits as `forward(input:rows:workspace:)`'s output.
    package func infer(input: UnsafePointer<Float>, rows: Int, workspace ws: InferenceWorkspace) {
        precondition(rows <= ws.capacity, "batch of \(rows) rows exceeds the workspace's \(ws.capacity)")
        let p = UnsafePointer(parameters.pointer)
        var a = input
        var next = ws.ping
        for (l, layer) in layers.enumerated() {
            let w = p + layer.weightOffset, b = p + layer.biasOffset
            let last = l == layers.count - 1
            let out = last ? ws.output.pointer : next.pointer
            gemm(.none, .none, m: rows, n: layer.fanOut, k: layer.fanIn,
                 a: a, lda: layer.fanIn, b: w, ldb: layer.fanOut, c: out, ldc: layer.fanOut)
            if last {
                Kernels.addBias(out, bias: b, rows: rows, cols: layer.fanOut)
            } else {
                Kernels.biasSiLUInPlace(out, bias: b, rows: rows, cols: layer.fanOut)
                a = UnsafePointer(out)
                next = next === ws.ping ? ws.pong : ws.ping
            }
        }
    }
}
