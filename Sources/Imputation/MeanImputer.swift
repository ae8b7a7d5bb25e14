import Linalg

/// Fills each missing entry with its column's mean over the observed entries.
public struct MeanImputer: Imputer {
    public var name: String { "mean" }
    public init() {}

    public func impute(_ data: Matrix) throws -> ImputationResult {
        _ = try MissingPattern(validating: data)
        let means = Standardization(fitting: data).means
        var out = data
        for k in 0..<out.count where out.storage[k].isNaN { out.storage[k] = Float(means[k % data.cols]) }
        return ImputationResult(imputed: out)
    }
}
