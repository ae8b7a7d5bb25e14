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

        // MIRI's own start, reproduced: its scaling (observed entries) and its first draws.
        let miriScale = Standardization(fitting: masked)
        var random = RandomSource(seed: configuration.seed)
        let noise = Self.merge(masked, standardized: MIRIImputer.noiseFilled(miriScale.apply(masked), random: &random),
                               scaling: miriScale)
        var scores = [scored("noise", noise, seconds: 0)]
        var rounds = [roundScore(0, noise)]

        let (mean, meanSeconds) = try Self.timed { try MeanImputer().impute(masked).imputed }
        scores.append(scored("mean", mean, seconds: meanSeconds))
        let (knn, knnSeconds) = try Self.timed { try KNNImputer().impute(masked).imputed }
        scores.append(scored("knn", knn, seconds: knnSeconds))

        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: truth.rows),
                                      live: showProgress, quiet: !showProgress, roundSummaries: false)
        var scoringSeconds = 0.0
        let hooks = MIRIHooks(
            epochFinished: { display.epochFinished(round: $0, epoch: $1, loss: $2) },
            roundFinished: { diagnostics, x in
                let start = DispatchTime.now()
                rounds.append(roundScore(diagnostics.round, Self.merge(masked, standardized: x, scaling: miriScale)))
                scoringSeconds += Self.seconds(since: start)
            })
        defer { display.finish(erase: true) }
        let (miri, miriSeconds) = try Self.timed {
            try MIRIImputer(configuration: configuration, hooks: hooks).impute(masked).imputed
        }
        scores.append(scored("miri", miri, seconds: miriSeconds - scoringSeconds))
        return DemoOutcome(dataset: dataset, masked: masked, observed: observed, scores: scores, rounds: rounds)
    }

    /// `masked` with its NaN cells taken from the standardized table `x`, mapped back.
    static func merge(_ masked: Matrix, standardized x: Matrix, scaling: Standardization) -> Matrix {
        var out = masked
        for k in 0..<out.count where out.storage[k].isNaN {
            out.storage[k] = scaling.invert(x.storage[k], column: k % masked.cols)
        }
        return out
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now()
        let value = try body()
        return (value, seconds(since: start))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
