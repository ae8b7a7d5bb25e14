import Linalg

/// The imputation methods by name, and the one place that builds an imputer from a name.
///
/// The CLI's `--method`, the benchmark's `--methods` and the tests all go through
/// `makeImputer`, so a method's defaults (kNN's k, MIRI's preset) and what every method shares
/// (the seed, the threads, progress and cancellation) are decided here once.
public enum ImputationMethod: String, CaseIterable, Sendable {
    /// MIRI: rectified flows that draw each missing value from its conditional law.
    case miri
    /// The column mean of the observed entries.
    case mean
    /// scikit-learn's `KNNImputer`: k donors by nan-Euclidean distance.
    case knn
    /// Chained equations with Bayesian ridge (scikit-learn's `IterativeImputer` defaults).
    case mice

    /// What a method needs beyond its name: first what every method shares, then each method's
    /// own fields.
    public struct Settings: @unchecked Sendable {
        /// Every method: the seed of every random choice. It replaces the seed of `miri` and
        /// `mice`, so a caller sets it here and nowhere else (mean and kNN draw nothing).
        public var seed: UInt64
        /// Every method: the threads of the run.
        public var compute: ComputeContext
        /// Every method that runs in rounds: called after each with (round, rounds at most).
        public var progress: (@Sendable (Int, Int) -> Void)?
        /// Every method that runs in rounds: polled between steps; returning true stops the run
        /// with a cancellation error.
        public var shouldStop: (@Sendable () -> Bool)?
        /// kNN: donors averaged.
        public var neighbors: Int
        /// kNN: rows per block of the distance scan (nil: the imputer's choice).
        public var blockRows: Int?
        /// MIRI: every knob of the run but the seed.
        public var miri: MIRIConfiguration
        /// MIRI: what to call as the run goes, beyond `progress` and `shouldStop`.
        public var hooks: MIRIHooks
        /// MICE: rounds, tolerance and sampling of the chain, all but the seed.
        public var mice: MICEConfiguration

        public init(seed: UInt64 = 0, compute: ComputeContext = .default, neighbors: Int = 5, blockRows: Int? = nil,
                    miri: MIRIConfiguration = .calibrated, hooks: MIRIHooks = MIRIHooks(),
                    mice: MICEConfiguration = MICEConfiguration()) {
            self.seed = seed
            self.compute = compute
            self.neighbors = neighbors
            self.blockRows = blockRows
            self.miri = miri
            self.hooks = hooks
            self.mice = mice
        }

        /// MIRI's configuration with the shared seed.
        public var miriConfiguration: MIRIConfiguration {
            var c = miri
            c.seed = seed
            return c
        }

        /// MICE's configuration with the shared seed.
        public var miceConfiguration: MICEConfiguration {
            var c = mice
            c.seed = seed
            return c
        }

        /// The MIRI imputer of these settings (for what only MIRI offers: checkpoints, a split run).
        public func miriImputer() -> MIRIImputer {
            var hooks = self.hooks
            if let progress {
                let rounds = miri.rounds, inner = hooks.roundFinished
                hooks.roundFinished = { diagnostics, table in
                    inner?(diagnostics, table)
                    progress(diagnostics.round, rounds)
                }
            }
            if let stop = shouldStop {
                let inner = hooks.shouldStop
                hooks.shouldStop = { inner?() == true || stop() }
            }
            return MIRIImputer(configuration: miriConfiguration, hooks: hooks, compute: compute)
        }

        /// The MICE imputer of these settings.
        public func miceImputer() -> MICEImputer {
            var imputer = MICEImputer(configuration: miceConfiguration, compute: compute)
            imputer.progress = progress
            imputer.shouldStop = shouldStop
            return imputer
        }
    }

    /// The imputer of this method.
    public func makeImputer(_ settings: Settings = Settings()) -> any Imputer {
        switch self {
        case .mean: return MeanImputer(compute: settings.compute)
        case .knn: return KNNImputer(neighbors: settings.neighbors, blockRows: settings.blockRows, compute: settings.compute)
        case .mice: return settings.miceImputer()
        case .miri: return settings.miriImputer()
        }
    }
}
