import Imputation
/// Scores for categorical columns: accuracy of the imputed category, and how far the imputed
/// categories' shares are from the truth's (a sampler should match them; a point imputer,
/// which always names the likeliest category, cannot).
extension Metrics {
    /// Share of the `imputed` labels equal to `truth`'s (same length; 0 when empty).
    public static func accuracy(imputed: [String], truth: [String]) -> Double {
        guard !truth.isEmpty else { return 0 }
        return Double(zip(imputed, truth).filter { $0 == $1 }.count) / Double(truth.count)
    }

    /// The largest |share in `imputed` − share in `truth`| over the categories, in [0, 1].
    public static func largestShareGap(imputed: [String], truth: [String]) -> Double {
        guard !truth.isEmpty else { return 0 }
        var counts: [String: (Int, Int)] = [:]
        for label in imputed { counts[label, default: (0, 0)].0 += 1 }
        for label in truth { counts[label, default: (0, 0)].1 += 1 }
        return counts.values.map { abs(Double($0.0) / Double(imputed.count) - Double($0.1) / Double(truth.count)) }.max() ?? 0
    }
}
