import Linalg

/// Proper draws of a fitted MICE model: a chain with posterior sampling at every step.
extension FittedMICE {
    /// One draw of `data`: a chained-equation run on `data` with sampling at every step.
    ///
    /// Every missing entry starts at the stored mean of its column; then `configuration.rounds`
    /// rounds visit the columns that miss entries in `data` (fewest missing first, ties by
    /// index: scikit-learn's "ascending" order of this table). Each step refits the column's
    /// Bayesian ridge on the rows of `data` that observe it, with the other columns as they
    /// stand (their current draws). With `drawingParameters` (what `draw` and `draws` use) it
    /// then draws the regression from its posterior (`BayesianRidgeModel.posteriorDraw`) and each
    /// missing entry as the drawn regression's prediction plus N(0, σ̃²): mice's `norm` inside the
    /// chain. Without, each entry is drawn from N(prediction, predictive sd²) with the regression
    /// fixed; on the table the model was fitted on, with seed s, that is
    /// `MICEImputer(samplePosterior: true, seed: s).impute` bit for bit, scikit-learn's
    /// `IterativeImputer(sample_posterior=True, random_state=s)` (kept for comparison:
    /// `miri-bench inference --methods mice-chain`).
    ///
    /// A column observed in fewer than `minimumTrainingRows(columns:)` rows of `data` (a small
    /// batch of new rows) is not refitted there; its step uses the model's last stored regression.
    /// Returns the completed values (observed entries as given).
    package func sampledChain(_ data: Matrix, random: inout RandomSource, drawingParameters: Bool = false) throws -> Matrix {
        let chain = MICEChain(data, fill: means)
        guard data.cols > 1, let stored = rounds.last else { return try chain.completed(data) }
        let fallback = Dictionary(uniqueKeysWithValues: stored.map { ($0.column, $0) })
        let visit = MICEChain.ascendingOrder(missingCounts: chain.missingRows.map(\.count), includingComplete: false)
        var generator: RandomSource? = random
        for _ in 0..<configuration.rounds {
            for j in visit {
                let model: BayesianRidgeModel
                // A stored step of a wide table reads its nearest features only, so it predicts from those.
                var features: [Int]? = nil
                if chain.observedRows[j].count >= Self.minimumTrainingRows(columns: data.cols) {
                    model = chain.regress(j, ridge: configuration.ridge, posterior: true)
                } else if let saved = fallback[j] {
                    model = saved.model
                    features = saved.features
                } else {
                    preconditionFailure("a fitted model regresses every column")
                }
                if drawingParameters, var source = generator {
                    let drawn = model.posteriorDraw(samples: chain.observedRows[j].count, random: &source)
                    generator = source
                    chain.fill(j, model: drawn, features: features, random: &generator)
                } else {
                    chain.fill(j, model: model, features: features, random: &generator)
                }
            }
        }
        if let generator { random = generator }
        return try chain.completed(data)
    }

    /// Fewer observed rows than this in the table drawn (d columns: d + 2, so that the noise
    /// variance's draw has ν = n − d ≥ 2 degrees of freedom) and a draw's step uses the stored
    /// regression, with its predictive law, instead of refitting on a handful of rows.
    package static func minimumTrainingRows(columns d: Int) -> Int { d + 2 }
}
