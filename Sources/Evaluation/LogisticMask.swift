import Imputation
import Linalg

/// The logistic masks behind `MissingnessMechanism.mar`, `.mnar` and `.mnarSelf`, drawn in
/// exactly the order of BENCHMARK.md and masks.py (the order is the contract: another order
/// gives another, equally valid, mask that no other implementation reproduces).
///
/// Tables arrive standardized (`ReferenceArithmetic.standardizedColumns`), row-major.
enum LogisticMask {
    /// The share of columns chosen as inputs (masks.py's `p_obs` for MAR, `p_params` for MNAR).
    static let inputShare = 0.3

    /// `mar` (and, with `maskInputs`, `mnar`):
    /// 1. one uniform per column; the d_in = max(⌊0.3·d⌋, 1) columns with the smallest (ties:
    ///    lower index) are the inputs, the rest the targets;
    /// 2. one normal weight per (input, target) pair, inputs outside, targets inside;
    /// 3. per target j: sᵢ = Σₖ xᵢₖ·wₖⱼ over the inputs, divided by its population std unless
    ///    that is 0, b = the intercept; probability σ(sᵢ + b);
    /// 4. one uniform per entry, row-major: a target entry is missing when u < its probability;
    /// 5. `mnar` only: a second uniform per entry, row-major: an input entry is missing when u < rate.
    static func inputDriven(_ x: [Double], rows n: Int, cols d: Int, rate p: Double, seed: UInt64,
                            maskInputs: Bool) -> Matrix {
        var random = SplitMix64(seed: seed)
        let pick = (0..<d).map { _ in random.nextUniform() }
        let inputCount = max(Int((inputShare * Double(d)).rounded(.down)), 1)
        let inputs = (0..<d).sorted { (pick[$0], $0) < (pick[$1], $1) }.prefix(inputCount).sorted()
        var isInput = [Bool](repeating: false, count: d)
        for j in inputs { isInput[j] = true }
        let targets = (0..<d).filter { !isInput[$0] }

        // weights[k * targets.count + t]: input k, target t.
        var weights = [Double](repeating: 0, count: inputs.count * targets.count)
        for k in weights.indices { weights[k] = random.nextNormal() }

        var probability = [Double](repeating: 0, count: n * d)     // 0 for the inputs
        var s = [Double](repeating: 0, count: n)
        for (t, j) in targets.enumerated() {
            for i in 0..<n {
                var v = 0.0
                for (k, column) in inputs.enumerated() { v += x[i * d + column] * weights[k * targets.count + t] }
                s[i] = v
            }
            let sd = ReferenceArithmetic.populationStd(s)
            if sd > 0 { for i in 0..<n { s[i] = s[i] / sd } }
            setProbabilities(&probability, column: j, cols: d, scores: s, rate: p)
        }

        var observed = mask(probability, rows: n, cols: d, random: &random)
        if maskInputs {
            for k in 0..<(n * d) {
                let u = random.nextUniform()
                if isInput[k % d] && u < p { observed.storage[k] = 0 }
            }
        }
        return observed
    }

    /// `mnar-self`: per column j, sᵢ = xᵢⱼ / std (population std, 0 → 1), b = the intercept,
    /// probability σ(sᵢ + b); then one uniform per entry, row-major: missing when u < it.
    static func selfMasked(_ x: [Double], rows n: Int, cols d: Int, rate p: Double, seed: UInt64) -> Matrix {
        var probability = [Double](repeating: 0, count: n * d)
        var s = [Double](repeating: 0, count: n)
        for j in 0..<d {
            for i in 0..<n { s[i] = x[i * d + j] }
            let sd = ReferenceArithmetic.populationStd(s)
            let scale = sd > 0 ? sd : 1
            for i in 0..<n { s[i] = s[i] / scale }
            setProbabilities(&probability, column: j, cols: d, scores: s, rate: p)
        }
        var random = SplitMix64(seed: seed)
        return mask(probability, rows: n, cols: d, random: &random)
    }

    /// Column j of the row-major `probability`: σ(sᵢ + b) with b the intercept of `scores` for `rate`.
    private static func setProbabilities(_ probability: inout [Double], column j: Int, cols d: Int,
                                         scores s: [Double], rate p: Double) {
        let b = ReferenceArithmetic.intercept(s, rate: p)
        for i in s.indices { probability[i * d + j] = ReferenceArithmetic.sigmoid(s[i] + b) }
    }

    /// One uniform per entry, row-major: 0 (missing) where u < the entry's probability, else 1.
    private static func mask(_ probability: [Double], rows n: Int, cols d: Int, random: inout SplitMix64) -> Matrix {
        var observed = Matrix(rows: n, cols: d, repeating: 1)
        for k in 0..<(n * d) {
            let u = random.nextUniform()      // drawn for every entry, inputs included
            if u < probability[k] { observed.storage[k] = 0 }
        }
        return observed
    }
}
