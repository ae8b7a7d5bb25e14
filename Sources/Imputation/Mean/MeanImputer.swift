import Linalg

/// Fills each missing entry with its column's mean over the observed entries of the table it
/// was fitted on (accumulated in Double, rounded to Float once).
///
///     let result = try MeanImputer().impute(table)     // table: NaN marks missing
public struct MeanImputer: Imputer {
    /// "mean".
    public var name: String { "mean" }
    /// Unused by the arithmetic (a pass over the table); kept for the shared contract.
    public var compute: ComputeContext

    /// A mean imputer.
    public init(compute: ComputeContext = .default) {
        self.compute = compute
    }

    /// The column means of `data`'s observed entries.
    public func fit(_ data: Matrix) throws -> FittedMean {
        _ = try MissingPattern(validating: data)
        return FittedMean(means: Standardization(fitting: data).means, compute: compute)
    }
}

/// Column means learned by `MeanImputer.fit`; completes a table by writing them into its missing entries.
public struct FittedMean: FittedImputer {
    /// Each column's mean over the training table's observed entries.
    public let means: [Double]
    /// The training table's column names, when it had a header.
    public var columnNames: [String]?
    /// Threads of the work.
    public var compute: ComputeContext

    /// A model that fills column j with `means[j]`.
    public init(means: [Double], columnNames: [String]? = nil, compute: ComputeContext = .default) {
        precondition(columnNames.map { $0.count == means.count } ?? true, "one name per column")
        self.means = means
        self.columnNames = columnNames
        self.compute = compute
    }

    /// Columns the model was fitted on.
    public var columns: Int { means.count }
    /// 0: the mean fill draws nothing.
    public var defaultSeed: UInt64 { 0 }
    /// Each row is filled on its own.
    public var batchRowMultiple: Int { 1 }
    /// "mean".
    public var summary: String { "mean" }

    /// `data` with each missing entry of column j set to `Float(means[j])`; `random` is not used.
    public func transform(_ data: Matrix, random: inout RandomSource, shouldStop: (() -> Bool)? = nil) throws -> ImputationResult {
        try complete(data, shouldStop: shouldStop) { _ in
            var values = data
            for k in 0..<values.count where values.storage[k].isNaN { values.storage[k] = Float(means[k % data.cols]) }
            return values
        }
    }
}
