import Flow
import Foundation
import Linalg

/// A MINE estimate (Belghazi et al. 2018) of the mutual information between a table X and its
/// mask M, as the MIRI paper monitors it: the Donsker–Varadhan lower bound
///
///     I(X; M) ≥ E_joint[T(x, m)] − log E_marginal[e^{T(x, m)}]
///
/// for any critic T. T is a small MLP (input [x, m] of width 2d → 64 → 64 → 1, SiLU), trained to
/// maximise the bound on 80 % of the rows and evaluated on the other 20 %, so an overfitted critic
/// cannot report dependence that is not there. Marginal pairs (x, m) put a row's x with another
/// row's mask: independent of each other, with the right marginals.
///
/// Training: each step draws B joint rows and B marginal pairs (mask from an independent random
/// row) from the training rows, runs them through T as one batch of 2B, and takes one Adam step
/// on the loss L = −(mean_joint T − log mean_marginal e^T). Its gradient with respect to the
/// critic's outputs, which `MLP.backward` carries to the weights:
///
///     ∂L/∂T(joint row i)    = −1/B
///     ∂L/∂T(marginal row j) = e^{T_j} / Σ_k e^{T_k}        (a softmax over the batch's marginal rows)
///
/// (MINE's moving-average correction of the second term's gradient is left out: it only lowers
/// the gradient's bias for small batches; the held-out evaluation below is the same either way.)
///
/// Evaluation on the held-out rows: the joint term over every held-out row, the marginal term over
/// `shuffles` random permutations of the held-out masks pooled (log-mean-exp, computed stably).
/// The result is in nats. Near 0 (it can dip slightly below: it is an estimate from a finite
/// sample) means the critic found no dependence between the values and the mask; with a held-out
/// set of a few hundred rows the noise is a few hundredths of a nat.
struct MINEEstimator {
    var hiddenWidth = 64
    var steps = 300
    var batchSize = 256
    var learningRate: Float = 2e-3
    var trainFraction = 0.8
    var shuffles = 4

    struct Estimate {
        /// The held-out Donsker–Varadhan bound, in nats.
        var mutualInformation: Double
        /// The same bound on the training rows after training (optimistic; for diagnosis).
        var trainingBound: Double
        var trainRows: Int
        var heldOutRows: Int
    }

    /// Estimates I(X; M) for `x` (n × d, no NaN) and `mask` (n × d, 1 observed / 0 missing).
    func estimate(x: Matrix, mask: Matrix, seed: UInt64) -> Estimate {
        precondition(x.rows == mask.rows && x.cols == mask.cols, "x and mask differ in shape")
        precondition(x.rows >= 4, "MINE needs at least 4 rows")
        let n = x.rows, d = x.cols, width = 2 * d
        var random = RandomSource(seed: seed)
        let order = random.permutation(n)
        let trainCount = min(n - 2, max(2, Int((Double(n) * trainFraction).rounded())))
        let train = Array(order[..<trainCount]), heldOut = Array(order[trainCount...])

        let network = MLP(widths: [width, hiddenWidth, hiddenWidth, 1], random: &random)
        let adam = Adam(parameterCount: network.parameterCount, learningRate: learningRate)
        let capacity = 2 * batchSize
        let workspace = MLPWorkspace(network: network, capacity: capacity)
        let gradients = FloatBuffer(count: network.parameterCount)
        let input = FloatBuffer(count: capacity * width)
        let outputGradient = FloatBuffer(count: capacity)

        func fillRow(_ r: Int, xRow: Int, maskRow: Int) {
            let row = input.pointer + r * width
            for j in 0..<d {
                row[j] = x.storage[xRow * d + j]
                row[d + j] = mask.storage[maskRow * d + j]
            }
        }

        let b = batchSize
        for _ in 0..<steps {
            for r in 0..<b {
                let i = train[random.index(below: train.count)]
                fillRow(r, xRow: i, maskRow: i)
                let a = train[random.index(below: train.count)], c = train[random.index(below: train.count)]
                fillRow(b + r, xRow: a, maskRow: c)
            }
            network.forward(input: input.pointer, rows: 2 * b, workspace: workspace)
            let t = workspace.output.pointer
            var top = -Double.infinity
            for r in b..<(2 * b) { top = max(top, Double(t[r])) }
            var sum = 0.0
            for r in b..<(2 * b) { sum += exp(Double(t[r]) - top) }
            guard sum.isFinite, top.isFinite else { break }      // a blown-up critic: stop training
            for r in 0..<b { outputGradient[r] = -1 / Float(b) }
            for r in b..<(2 * b) { outputGradient[r] = Float(exp(Double(t[r]) - top) / sum) }
            network.backward(input: input.pointer, rows: 2 * b, outputGradient: outputGradient.pointer,
                             workspace: workspace, gradients: gradients)
            adam.update(parameters: network.parameters, gradients: gradients)
        }

        /// The bound on `rows`: joint over all of them, marginal over `shuffles` permutations of their masks.
        func bound(on rows: [Int], random: inout RandomSource) -> Double {
            var pairs: [(Int, Int)] = rows.map { ($0, $0) }
            let jointCount = pairs.count
            for _ in 0..<shuffles {
                let p = random.permutation(rows.count)
                pairs += rows.indices.map { (rows[$0], rows[p[$0]]) }
            }
            var values = [Double](repeating: 0, count: pairs.count)
            var start = 0
            while start < pairs.count {
                let count = min(capacity, pairs.count - start)
                for r in 0..<count { fillRow(r, xRow: pairs[start + r].0, maskRow: pairs[start + r].1) }
                network.forward(input: input.pointer, rows: count, workspace: workspace)
                for r in 0..<count { values[start + r] = Double(workspace.output.pointer[r]) }
                start += count
            }
            let joint = values[..<jointCount].reduce(0, +) / Double(jointCount)
            let marginal = values[jointCount...]
            let top = marginal.max() ?? 0
            let logMeanExp = top + log(marginal.reduce(0) { $0 + exp($1 - top) } / Double(marginal.count))
            return joint - logMeanExp
        }
        let heldOutBound = bound(on: heldOut, random: &random)
        let trainingBound = bound(on: train, random: &random)
        return Estimate(mutualInformation: heldOutBound.isFinite ? heldOutBound : .nan,
                        trainingBound: trainingBound.isFinite ? trainingBound : .nan,
                        trainRows: train.count, heldOutRows: heldOut.count)
    }
}
