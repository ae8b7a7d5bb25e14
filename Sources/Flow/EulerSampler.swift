import Linalg

/// The Euler sampler of SPEC step 2d: integrates dx/dt = (1−o)⊙f(x, x, o, t) over t ∈ [0, 1].
///
/// SPEC writes two copies u and w; both start at X and receive the same update v/N,
/// so they stay equal and one buffer carries both. Observed coordinates never move.
/// Rows are independent, so they are processed in blocks of `blockRows`.
public struct EulerSampler: Sendable {
    public var steps: Int
    public var blockRows: Int

    public init(steps: Int, blockRows: Int = 1024) {
        precondition(steps >= 1 && blockRows >= 1)
        self.steps = steps
        self.blockRows = blockRows
    }

    /// Moves the missing entries of `x` (n × d, standardized) along the flow of `network`.
    /// `observed` is n × d with 1 where observed, 0 where missing.
    public func integrate(network: MLP, x: inout Matrix, observed: Matrix) {
        precondition(x.rows == observed.rows && x.cols == observed.cols)
        let n = x.rows, d = x.cols, width = 3 * d + 1
        precondition(network.inputWidth == width && network.outputWidth == d, "network shape does not match the table")
        let block = min(blockRows, max(n, 1))
        let ws = InferenceWorkspace(network: network, capacity: block)
        let input = FloatBuffer(count: block * width)
        let dt = 1 / Float(steps)
        x.storage.withUnsafeMutableBufferPointer { xs in
            observed.storage.withUnsafeBufferPointer { os in
                var start = 0
                while start < n {
                    let rows = min(block, n - start)
                    let xb = xs.baseAddress! + start * d, ob = os.baseAddress! + start * d
                    for s in 0..<steps {
                        let t = Float(s) / Float(steps)
                        for r in 0..<rows {
                            let row = input.pointer + r * width
                            for j in 0..<d {
                                row[j] = xb[r * d + j]
                                row[d + j] = xb[r * d + j]
                                row[2 * d + j] = ob[r * d + j]
                            }
                            row[3 * d] = t
                        }
                        network.infer(input: input.pointer, rows: rows, workspace: ws)
                        let v = ws.output.pointer
                        Kernels.maskedAxpy(xb, adding: v, times: dt, where: ob, count: rows * d)
                    }
                    start += rows
                }
            }
        }
    }
}
