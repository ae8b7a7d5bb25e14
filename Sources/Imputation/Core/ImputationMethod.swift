import Linalg

/// The imputation methods by name, and the one place that builds an imputer from a name.
///
/// The CLI's `--method`, the benchmark's `--methods` and the tests all go through
/// `makeImputer`, so a method's defaults (kNN's k, MIRI's preset) are decided here once.
public enum ImputationMethod: String, CaseIterable, Sendable {
    /// MIRI: rectified flows that draw each missing value from its conditional law.
    case miri
    /// The column mean of the observed entries.
    case mean
    /// scikit-learn's `KNNImputer`: k donors by nan-Euclidean distance.
    case knn
    /// Chained equations with Bayesian ridge (scikit-learn's `IterativeImputer` defaults).
    case mice

    /// What a method needs beyond its name; each method reads its own fields.
    public struct Settings: Sendable {
        /// kNN: donors averaged.
        public var neighbors: Int
        /// kNN: rows per block of the distance scan (nil: the imputer's choice).
        public var blockRows: Int?
        /// MIRI: every knob of the run.
        public var miri: MIRIConfiguration
        /// MIRI: what to call as the run goes.
        public var hooks: MIRIHooks
        /// MICE: rounds, tolerance and sampling of the chain.
        public var mice: MICEConfiguration

        public init(neighbors: Int = 5, blockRows: Int? = nil, miri: MIRIConfiguration = .calibrated,
                    hooks: MIRIHooks = MIRIHooks(), mice: MICEConfiguration = MICEConfiguration()) {
            self.neighbors = neighbors
            self.blockRows = blockRows
            self.miri = miri
            self.hooks = hooks
            self.mice = mice
        }
    }

    /// The imputer of this method, running under `compute`.
    public func makeImputer(_ settings: Settings = Settings(), compute: ComputeContext = .default) -> any Imputer {
        switch self {
        case .mean: return MeanImputer(compute: compute)
        case .knn: return KNNImputer(neighbors: settings.neighbors, blockRows: settings.blockRows, compute: compute)
        case .mice: return MICEImputer(configuration: settings.mice, compute: compute)
        case .miri: return MIRIImputer(configuration: settings.miri, hooks: settings.hooks, compute: compute)
        }
    }
}
