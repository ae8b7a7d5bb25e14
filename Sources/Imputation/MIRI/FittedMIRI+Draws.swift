import Linalg

/// Multiple imputation: MIRI's output is a *draw* of the missing values from their conditional
/// law, so imputing again from another noise fill gives another, equally likely completed table
/// (SPEC, "multiple imputation for free"). m draws express the uncertainty; their entrywise mean
/// is a point estimate with a lower RMSE than any single draw.
///
/// Draw k (counted from 1) uses the seed `seed &+ (k − 1)`, so draw 1 is `transform(_:seed:)`
/// and m draws from seed s are draws s, s+1, …, s+m−1 of single imputations.
extension FittedMIRI {
    /// The seed of draw `k` (1-based) of a set of draws starting at `seed` (wrapping at 2⁶⁴).
    public static func drawSeed(_ seed: UInt64, draw k: Int) -> UInt64 {
        MultipleDraws.drawSeed(seed, draw: k)
    }

    /// `count` completed tables of `data`, draw k from `drawSeed(seed, draw: k)`.
    public func draws(_ data: Matrix, count: Int, seed: UInt64) throws -> [Matrix] {
        precondition(count >= 1, "at least one draw")
        var randoms = MultipleDraws.generators(count: count, seed: seed)
        return try draws(data, randoms: &randoms)
    }

    /// The entrywise mean of `count` draws (see `draws(_:count:seed:)`): a point imputation.
    /// Observed entries are `data`'s, bit for bit.
    public func average(_ data: Matrix, count: Int, seed: UInt64) throws -> Matrix {
        FittedMIRI.mean(of: try draws(data, count: count, seed: seed), over: data)
    }

    /// The entrywise mean of `draws` (each a completion of `data`) at `data`'s missing entries,
    /// accumulated in Double; observed entries are copied from `data`.
    package static func mean(of draws: [Matrix], over data: Matrix) -> Matrix {
        precondition(!draws.isEmpty && draws.allSatisfy { $0.rows == data.rows && $0.cols == data.cols })
        var out = data
        let m = Double(draws.count)
        for k in 0..<data.count where data.storage[k].isNaN {
            var sum = 0.0
            for draw in draws { sum += Double(draw.storage[k]) }
            out.storage[k] = Float(sum / m)
        }
        return out
    }
}
