import Foundation
import Imputation
import Linalg

/// One imputer's result on a demo table, scored against the truth.
package struct MethodScore {
    package var name: String
    /// The completed table, on the data's own scale.
    package var imputed: Matrix
    package var rmse: Double
    package var mmd: Double
    package var w1: Double
    package var seconds: Double
}

/// MIRI's table after round k (k = 0: the noise fill it starts from), scored against the truth.
package struct RoundScore {
    package var round: Int
    package var rmse: Double
    package var w1: Double
}

/// Everything `miri demo` learns from one table: the mask, each method's score, MIRI by round.
package struct DemoOutcome {
    package var dataset: DemoDataset
    package var masked: Matrix
    /// 1 where observed, 0 where masked.
    package var observed: Matrix
    package var scores: [MethodScore]
    package var rounds: [RoundScore]

    package func score(_ name: String) -> MethodScore? { scores.first { $0.name == name } }
}

/// Masks a demo table, runs the imputers and scores them as BENCHMARK.md does: on the
/// standardized scale of the *true* table (full-data mean and population std per column),
/// RMSE over the masked cells, MMD on the first 2,000 rows, W1 averaged over the columns.
package struct DemoRunner {
    /// Every imputer's settings: the threads, MIRI's configuration and seed, and what to call
    /// as MIRI runs (a progress display's `epochFinished`).
    package var settings: ImputationMethod.Settings
    package var maskSeed: UInt64
    package var missingRate = 0.4

    package init(settings: ImputationMethod.Settings, maskSeed: UInt64) {
        self.settings = settings
        self.maskSeed = maskSeed
    }

    package func run(_ dataset: DemoDataset) throws -> DemoOutcome {
        let truth = dataset.truth
        let (masked, observed) = MCARMask.apply(truth, rate: missingRate, seed: maskSeed)
        let scale = Standardization(fitting: truth)
        let truthZ = scale.apply(truth)
        func scored(_ name: String, _ imputed: Matrix, seconds: Double) -> MethodScore {
            let z = scale.apply(imputed)
            return MethodScore(name: name, imputed: imputed,
                               rmse: Metrics.rmse(imputed: z, truth: truthZ, observed: observed),
                               mmd: Metrics.mmd(imputed: z, truth: truthZ),
                               w1: Metrics.wasserstein1(imputed: z, truth: truthZ), seconds: seconds)
        }
        func roundScore(_ k: Int, _ imputed: Matrix) -> RoundScore {
            let z = scale.apply(imputed)
            return RoundScore(round: k, rmse: Metrics.rmse(imputed: z, truth: truthZ, observed: observed),
                              w1: Metrics.wasserstein1(imputed: z, truth: truthZ))
        }

        let (mean, meanSeconds) = try Self.timed { try ImputationMethod.mean.makeImputer(settings).impute(masked).imputed }
        var scores = [scored("mean", mean, seconds: meanSeconds)]
        let (knn, knnSeconds) = try Self.timed { try ImputationMethod.knn.makeImputer(settings).impute(masked).imputed }
        scores.append(scored("knn", knn, seconds: knnSeconds))

        // MIRI, scored after its noise fill (round 0: also the "noise" row) and after every round.
        var scoringSeconds = 0.0
        var rounds: [RoundScore] = []
        var noise: Matrix?
        func scoreRound(_ k: Int, _ table: Matrix) {
            let start = Stopwatch()
            if k == 0 { noise = table }
            rounds.append(roundScore(k, table))
            scoringSeconds += start.seconds
        }
        var run = settings
        run.hooks.noiseFilled = { scoreRound(0, $0) }
        run.hooks.roundFinished = { scoreRound($0.round, $1) }
        let (miri, miriSeconds) = try Self.timed { try ImputationMethod.miri.makeImputer(run).impute(masked).imputed }
        if let noise { scores.insert(scored("noise", noise, seconds: 0), at: 0) }
        scores.append(scored("miri", miri, seconds: miriSeconds - scoringSeconds))
        return DemoOutcome(dataset: dataset, masked: masked, observed: observed, scores: scores, rounds: rounds)
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Stopwatch()
        let value = try body()
        return (value, start.seconds)
    }
}
