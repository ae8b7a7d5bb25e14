import Linalg

/// The seeds of multiple imputations, one rule for every method and path (a fitted model's
/// draws, pooling, streaming a table through a model, the benchmark): draw k (counted from 1) of
/// a set starting at seed s uses seed s + k − 1, so draw 1 is the single imputation of seed s and
/// m draws from s are the single imputations s, s+1, …, s+m−1.
public enum MultipleDraws {
    /// The seed of draw `k` (1-based) of a set of draws starting at `seed` (wrapping at 2⁶⁴).
    public static func drawSeed(_ seed: UInt64, draw k: Int) -> UInt64 {
        precondition(k >= 1, "draws are counted from 1")
        return seed &+ UInt64(k - 1)
    }

    /// One generator per draw 1…`count`, draw k's seeded `drawSeed(seed, draw: k)`.
    public static func generators(count: Int, seed: UInt64) -> [RandomSource] {
        (1...count).map { RandomSource(seed: drawSeed(seed, draw: $0)) }
    }
}
