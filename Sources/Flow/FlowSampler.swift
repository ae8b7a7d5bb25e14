import Dispatch
import Linalg

/// The sampler of SPEC step 2d: integrates dx/dt = (1−o)⊙f(x, x, o, t) over t ∈ [0, 1] with
/// `solver` (Euler, as SPEC says, unless told otherwise; see `ODESolver`).
///
/// SPEC writes two copies u and w; both start at X and receive the same update v/N,
/// so they stay equal and one buffer carries both. Observed coordinates never move.
/// Rows are independent, so they are processed in blocks of `blockRows`; each block's rows are
/// split into parts (`rowParts`) shared out over the workers, each part through every step on one.
package struct FlowSampler: Sendable {
    package var steps: Int
    package var blockRows: Int
    package var solver: ODESolver

    package init(steps: Int, blockRows: Int = 1024, solver: ODESolver = .euler) {
        precondition(steps >= 1 && blockRows >= 1)
        self.steps = steps
        self.blockRows = blockRows
        self.solver = solver
    }

    /// Rows of a part, about: a block of 512 rows or more is split into parts of 256–511 rows (the last a few shorter).
    static let minimumPartRows = 256

    /// Contiguous parts a block of `rows` rows is split into: a function of `rows` only, so a block
    /// gives the same bits whatever table it belongs to. The parts are shared out over the workers,
    /// and each goes through every layer and step on one of them.
    ///
    /// Why parts rather than splitting each product and each SiLU over the workers: a part runs all
    /// its layers and steps without a hand-off, and its activations (256 × 128 floats for the default
    /// preset) stay in one core's L2 between the layers. Measured on the default preset's ODE at
    /// 1,024 rows (docs/performance.md): parts of 256 rather than one 1,024-row block per worker made
    /// the Euler step about 10% faster on one thread.
    static func rowParts(rows: Int) -> [Range<Int>] {
        let parts = max(1, rows / minimumPartRows)
        let size = (rows + parts - 1) / parts
        return (0..<parts).map { min($0 * size, rows)..<min(($0 + 1) * size, rows) }
    }

    /// The most rows one part has in a block of at most `rows` rows: below two parts' worth a block
    /// is one part, above it no part reaches twice the minimum.
    static func largestPart(upTo rows: Int) -> Int { max(1, min(rows, 2 * minimumPartRows - 1)) }

    /// Moves the missing entries of `x` (n × d, standardized) along the flow of `network`.
    /// `observed` is n × d with 1 where observed, 0 where missing.
    package func integrate(network: MLP, x: inout Matrix, observed: Matrix) {
        precondition(x.rows == observed.rows && x.cols == observed.cols)
        let n = x.rows, d = x.cols, width = 3 * d + 1
        precondition(network.inputWidth == width && network.outputWidth == d, "network shape does not match the table")
        let block = min(blockRows, max(n, 1))
        let context = ComputeContext.current
        // Each part runs on one worker, its products unsplit: the parts are the parallelism.
        // (Dispatch's workers do not see the caller's task-local context, so each part names its own.)
        // The first worker keeps the caller's phase clock (a benchmark's breakdown then times one
        // worker's parts, which run alongside the others', as wall time); the rest time nothing.
        let partContexts = (0..<max(1, context.workers)).map { w -> ComputeContext in
            var part = ComputeContext(threads: 1)
            if w == 0 { part.clock = context.clock }
            return part
        }
        let capacity = Self.largestPart(upTo: block)
        let buffers = Self.rowParts(rows: block).map { _ in
            (InferenceWorkspace(network: network, capacity: capacity), FloatBuffer(count: capacity * width),
             FloatBuffer(count: solver == .euler ? 0 : capacity * d))
        }
        x.storage.withUnsafeMutableBufferPointer { xs in
            observed.storage.withUnsafeBufferPointer { os in
                var start = 0
                while start < n {
                    let rows = min(block, n - start)
                    let parts = Self.rowParts(rows: rows)
                    let xb = UncheckedSendable(xs.baseAddress! + start * d), ob = os.baseAddress! + start * d
                    let run = { (p: Int) in
                        let part = parts[p]
                        integrate(network: network, x: xb.value + part.lowerBound * d, observed: ob + part.lowerBound * d,
                                  rows: part.count, columns: d, workspace: buffers[p].0, input: buffers[p].1, scratch: buffers[p].2)
                    }
                    if parts.count == 1 {
                        run(0)
                    } else if context.workers == 1 {
                        for p in parts.indices { run(p) }
                    } else {
                        let box = UncheckedSendable(run)
                        let workers = min(context.workers, parts.count)
                        DispatchQueue.concurrentPerform(iterations: workers) { w in
                            partContexts[w].run { for p in stride(from: w, to: parts.count, by: workers) { box.value(p) } }
                        }
                    }
                    start += rows
                }
            }
        }
    }

    /// Every step for `rows` rows of `d` columns at `x` (updated in place), with one worker's buffers
    /// (`scratch`: rows × d floats for the second-order solvers' intermediate state).
    private func integrate(network: MLP, x xb: UnsafeMutablePointer<Float>, observed ob: UnsafePointer<Float>,
                           rows: Int, columns d: Int, workspace ws: InferenceWorkspace, input: FloatBuffer, scratch: FloatBuffer) {
        let count = rows * d
        let h = 1 / Float(steps)
        for s in 0..<steps {
            let t = Float(s) / Float(steps)
            switch solver {
            case .euler:
                velocity(network, at: xb, time: t, observed: ob, rows: rows, columns: d, workspace: ws, input: input)
                Kernels.maskedAxpy(xb, adding: ws.output.pointer, times: h, where: ob, count: count)
            case .midpoint:
                velocity(network, at: xb, time: t, observed: ob, rows: rows, columns: d, workspace: ws, input: input)
                scratch.pointer.update(from: xb, count: count)
                Kernels.maskedAxpy(scratch.pointer, adding: ws.output.pointer, times: h / 2, where: ob, count: count)
                velocity(network, at: scratch.pointer, time: t + h / 2, observed: ob, rows: rows, columns: d, workspace: ws, input: input)
                Kernels.maskedAxpy(xb, adding: ws.output.pointer, times: h, where: ob, count: count)
            case .heun:
                velocity(network, at: xb, time: t, observed: ob, rows: rows, columns: d, workspace: ws, input: input)
                scratch.pointer.update(from: xb, count: count)
                Kernels.maskedAxpy(scratch.pointer, adding: ws.output.pointer, times: h, where: ob, count: count)
                Kernels.maskedAxpy(xb, adding: ws.output.pointer, times: h / 2, where: ob, count: count)
                velocity(network, at: scratch.pointer, time: t + h, observed: ob, rows: rows, columns: d, workspace: ws, input: input)
                Kernels.maskedAxpy(xb, adding: ws.output.pointer, times: h / 2, where: ob, count: count)
            }
        }
    }

    /// f(x, x, o, t) for `rows` rows at `x`, left in `ws.output`.
    private func velocity(_ network: MLP, at xb: UnsafePointer<Float>, time t: Float, observed ob: UnsafePointer<Float>,
                          rows: Int, columns d: Int, workspace ws: InferenceWorkspace, input: FloatBuffer) {
        let width = 3 * d + 1
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
    }
}
