import Imputation
import Linalg

/// The benchmark's reproducible MCAR mask (BENCHMARK.md, "Mask").
///
/// SplitMix64 seeded with `seed` draws one uniform u = (z >> 11)·2⁻⁵³ per entry, visiting the
/// entries in row-major order; entry (i, j) is missing when u < rate. Any language that
/// implements SplitMix64 reproduces the same mask, so results compare across implementations.
package enum MCARMask {
    /// The observed indicator (1 observed, 0 missing) of a `rows × cols` table: the same form as
    /// `MissingPattern.observed`, and what `Metrics` takes.
    package static func mask(rows: Int, cols: Int, rate: Double, seed: UInt64) -> Matrix {
        precondition(rows >= 0 && cols >= 0, "negative table shape")
        precondition(rate >= 0 && rate <= 1, "missing rate must be in [0, 1], got \(rate)")
        var generator = SplitMix64(seed: seed)
        var observed = Matrix(rows: rows, cols: cols)
        for k in 0..<observed.count {
            observed.storage[k] = generator.nextUniform() < rate ? 0 : 1
        }
        return observed
    }

    /// `data` with NaN wherever `observed` is 0; other entries unchanged.
    package static func apply(_ data: Matrix, observed: Matrix) -> Matrix {
        precondition(data.rows == observed.rows && data.cols == observed.cols,
                     "mask is \(observed.rows)×\(observed.cols), data is \(data.rows)×\(data.cols)")
        var out = data
        for k in 0..<out.count where observed.storage[k] == 0 { out.storage[k] = .nan }
        return out
    }

    /// `data` masked with `mask(rows:cols:rate:seed:)`, and that mask.
    package static func apply(_ data: Matrix, rate: Double, seed: UInt64) -> (masked: Matrix, observed: Matrix) {
        let observed = mask(rows: data.rows, cols: data.cols, rate: rate, seed: seed)
        return (apply(data, observed: observed), observed)
    }
}
