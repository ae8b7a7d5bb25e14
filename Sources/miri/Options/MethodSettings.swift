import Imputation

extension ImputationMethod.Settings {
    /// What the flags of `impute` and `fit` give every method: the one place the parsed seed
    /// enters the library, the threads, kNN's k and MIRI's settings.
    init(miri options: MIRIOptions, threads: ThreadsOption, neighbors: Int = 5) {
        self.init(seed: options.seed, compute: threads.context, neighbors: neighbors, miri: options.configuration)
    }
}
