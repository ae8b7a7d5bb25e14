import Evaluation
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg

/// One imputer's result on a demo table, scored against the truth.
struct MethodScore {
    var name: String
    /// The completed table, on the data's own scale.
    var imputed: Matrix
    var rmse: Double
    var mmd: Double
    var w1: Double
    var seconds: Double
}

/// MIRI's table after round k (k = 0: the noise fill it starts from), scored against the truth.
struct RoundScore {
    var round: Int
    var rmse: Double
    var w1: Double
}

/// Everything `miri demo` learns from one table: the mask, each method's score, MIRI by round.
struct DemoOutcome {
    var dataset: DemoDataset
    var masked: Matrix
    /// 1 where observed, 0 where masked.
    var observed: Matrix
    var scores: [MethodScore]
    var rounds: [RoundScore]

    func score(_ name: String) -> MethodScore? { scores.first { $0.name == name } }
}

/// Masks a demo table, runs the imputers and scores them as BENCHMARK.md does: on the
/// standardized scale of the *true* table (full-data mean and population std per column),
/// RMSE over the masked cells, MMD on the first 2,000 rows, W1 averaged over the columns.
struct DemoRunner {
    var configuration: MIRIConfiguration
    var maskSeed: UInt64
    var missingRate = 0.4
    var showProgress: Bool
    /// Threads of every imputer (`--threads`).
    var compute: ComputeContext

    func run(_ dataset: DemoDataset) throws -> DemoOutcome {
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

        let (mean, meanSeconds) = try Self.timed { try MeanImputer(compute: compute).impute(masked).imputed }
        var scores = [scored("mean", mean, seconds: meanSeconds)]
        let (knn, knnSeconds) = try Self.timed { try KNNImputer(compute: compute).impute(masked).imputed }
        scores.append(scored("knn", knn, seconds: knnSeconds))

        // MIRI, scored after its noise fill (round 0: also the "noise" row) and after every round.
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: truth.rows),
                                      live: showProgress, quiet: !showProgress, roundSummaries: false)
        var scoringSeconds = 0.0
        var rounds: [RoundScore] = []
        var noise: Matrix?
        func scoreRound(_ k: Int, _ table: Matrix) {
            let start = Stopwatch()
            if k == 0 { noise = table }
            rounds.append(roundScore(k, table))
            scoringSeconds += start.seconds
        }
        let hooks = MIRIHooks(
            epochFinished: { display.epochFinished(round: $0, epoch: $1, loss: $2) },
            noiseFilled: { scoreRound(0, $0) },
            roundFinished: { scoreRound($0.round, $1) })
        defer { display.finish(erase: true) }
        let (miri, miriSeconds) = try Self.timed {
            try MIRIImputer(configuration: configuration, hooks: hooks, compute: compute).impute(masked).imputed
        }
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
