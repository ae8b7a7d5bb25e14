import Linalg

/// Proper draws of a fitted MICE model: a chain with posterior sampling at every step.
extension FittedMICE {
    /// One draw of `data`: the chain of `MICEImputer` with `samplePosterior`, run on `data`.
    ///
    /// Every missing entry starts at the stored mean of its column; then `configuration.rounds`
    /// rounds visit the columns that miss entries in `data` (fewest missing first, ties by
    /// index: scikit-learn's "ascending" order of this table). Each step refits the column's
    /// Bayesian ridge on the rows of `data` that observe it, with the other columns as they
    /// stand (their current draws), and draws each missing entry from N(prediction, predictive
    /// sd²), one normal from `random` per entry, rows ascending. On the table the model was
    /// fitted on, with seed s, this is `MICEImputer(samplePosterior: true, seed: s).impute`,
    /// bit for bit: scikit-learn's `IterativeImputer(sample_posterior=True, random_state=s)`.
    ///
    /// A column observed in fewer than `minimumTrainingRows` rows of `data` (a small batch of new
    /// rows) cannot be refitted there; its step uses the model's last stored regression for it.
    /// Returns the completed values (observed entries as given).
    package func sampledChain(_ data: Matrix, random: inout RandomSource) throws -> Matrix {
        let chain = MICEChain(data, fill: means)
        guard data.cols > 1, let stored = rounds.last else { return try chain.completed(data) }
        let fallback = Dictionary(uniqueKeysWithValues: stored.map { ($0.column, $0.model) })
        let visit = MICEChain.ascendingOrder(missingCounts: chain.missingRows.map(\.count), includingComplete: false)
        var generator: RandomSource? = random
        for _ in 0..<configuration.rounds {
            for j in visit {
                let model: BayesianRidgeModel
                if chain.observedRows[j].count >= Self.minimumTrainingRows {
                    model = chain.regress(j, ridge: configuration.ridge, posterior: true)
                } else if let saved = fallback[j] {
                    model = saved
                } else {
                    preconditionFailure("a fitted model regresses every column")
                }
                chain.fill(j, model: model, random: &generator)
            }
        }
        if let generator { random = generator }
        return try chain.completed(data)
    }

    /// Fewer observed rows than this and a draw's step uses the stored regression.
    package static let minimumTrainingRows = 2
}
