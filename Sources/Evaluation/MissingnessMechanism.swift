import Imputation
import Linalg

/// How entries go missing: the four masks of the benchmark protocol (`../shared/BENCHMARK.md`,
/// "Mask" and "Masks under MAR and MNAR"), reproducible across languages.
///
/// Why four: under MCAR the mask says nothing about the data, so it cannot tell a method that
/// models the missingness from one that ignores it. MAR (missingness driven by observed
/// columns) and MNAR (driven by the hidden values themselves) are the settings an imputer
/// like MIRI is for, and the MIRI paper evaluates all three.
///
/// Every draw comes from one SplitMix64 stream (state = seed) in the protocol's fixed order and
/// all arithmetic is Double, so `observed(complete:rows:cols:rate:seed:)` returns the same mask
/// as `../shared/reference/masks.py`, bit for bit (its digest: `MaskDigest`).
public enum MissingnessMechanism: String, CaseIterable, Sendable, Codable {
    /// Missing completely at random: entry (i, j), row-major, is missing when u < rate (`MCARMask`).
    case mcar
    /// Logistic MAR: 30 % of the columns (at least one) are inputs, never missing; each other
    /// column goes missing with probability σ(standardized random combination of the inputs + b),
    /// b set so the column's mean probability is the rate. Overall rate ≈ rate·(d − d_in)/d.
    case mar
    /// Logistic MNAR: `mar`, then each input entry goes missing with probability rate, so the
    /// other columns' missingness depends on values that may themselves be hidden.
    case mnar
    /// Self-masked logistic MNAR: each column goes missing with probability σ(x/std + b), b set
    /// so the column's mean probability is the rate: large values are the ones that go missing.
    case mnarSelf = "mnar-self"

    /// The observed indicator (1 observed, 0 missing; the form `Metrics` and `MCARMask` use) of
    /// this mechanism's mask for a complete table.
    ///
    /// - Parameters:
    ///   - values: the table on its own scale, row-major `rows × cols`, finite. The logistic
    ///     mechanisms standardize it first (full-data mean and population std, std 0 → 1) as the
    ///     protocol does; pass the values as read from the file, in Double, to match masks.py
    ///     bit for bit (a Float copy can move a probability across a uniform, rarely). `mcar`
    ///     does not look at them.
    ///   - rate: p in [0, 1]: the missing rate of `mcar` and `mnar-self`, the targets' rate of
    ///     the logistic mechanisms.
    ///   - seed: the SplitMix64 state the draws start from.
    public func observed(complete values: [Double], rows: Int, cols: Int, rate: Double, seed: UInt64) -> Matrix {
        precondition(rows >= 0 && cols >= 0 && values.count == rows * cols,
                     "\(values.count) values for a \(rows) × \(cols) table")
        precondition(rate >= 0 && rate <= 1, "missing rate must be in [0, 1], got \(rate)")
        switch self {
        case .mcar:
            return MCARMask.mask(rows: rows, cols: cols, rate: rate, seed: seed)
        case .mar, .mnar:
            let x = ReferenceArithmetic.standardizedColumns(values, rows: rows, cols: cols)
            return LogisticMask.inputDriven(x, rows: rows, cols: cols, rate: rate, seed: seed,
                                            maskInputs: self == .mnar)
        case .mnarSelf:
            let x = ReferenceArithmetic.standardizedColumns(values, rows: rows, cols: cols)
            return LogisticMask.selfMasked(x, rows: rows, cols: cols, rate: rate, seed: seed)
        }
    }
}
