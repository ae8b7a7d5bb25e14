import Foundation
import Linalg

/// The round loop of MIRI (SPEC step 2) on a standardized, noise-filled table.
package struct MIRIRounds {
    package let configuration: MIRIConfiguration
    package var hooks: MIRIHooks
    /// Where imputations are clamped after each round's ODE (nil: nowhere).
    package var bounds: ColumnBounds?

    package init(configuration: MIRIConfiguration, hooks: MIRIHooks = MIRIHooks(), bounds: ColumnBounds? = nil) {
        self.configuration = configuration
        self.hooks = hooks
        self.bounds = bounds
    }

    /// One round: a network trained on (X, a shuffled copy of X), then the ODE re-imputes X.
    ///
    /// `x` holds m ≥ 1 imputations of the table stacked (m·n × d, imputation 1 first; see
    /// `MIRIConfiguration.chainRows`), `observed` the table's mask (n × d). Minibatch rows and
    /// partners are drawn from all m·n rows; the ODE moves each imputation separately, in the
    /// row blocks `FittedMIRI.impute` uses, so imputation 1 is exactly what the fitted model
    /// gives for the fit's noise fill.
    ///
    /// The network starts from a random init, or, with `configuration.warmStart`, from a copy of
    /// `previous` (the last round's network; nil in round 1). The copy is trained, `previous` is not touched.
    package func runRound(_ k: Int, x: inout Matrix, observed: Matrix,
                         random: inout RandomSource, previous: MLP? = nil) throws -> (MLP, RoundDiagnostics) {
        let c = configuration
        let n = observed.rows, d = x.cols
        precondition(n > 0 && x.rows % n == 0 && observed.cols == d, "x must stack whole copies of the table")
        let chains = x.rows / n
        let allObserved = chains == 1 ? observed : Matrix(rows: x.rows, cols: d,
                                                          storage: Array([[Float]](repeating: observed.storage, count: chains).joined()))
        let rows = x.rows
        var partner = random.permutation(rows)                      // step 2a
        let widths = [3 * d + 1] + c.hiddenWidths + [d]             // 2b
        let network: MLP
        if c.warmStart, let previous, previous.widths == widths {
            network = previous.copy()
        } else {
            network = MLP(widths: widths, random: &random)
        }
        let batchRows = min(c.batchSize, rows)
        let trainer = FlowTrainer(network: network, columns: d, batchCapacity: batchRows, configuration: c)

        let trainStart = DispatchTime.now()
        var order = Array(0..<rows)
        var roundLoss = 0.0, roundSteps = 0, epochLoss = 0.0
        try x.storage.withUnsafeBufferPointer { xs in
            try allObserved.storage.withUnsafeBufferPointer { os in
                for epoch in 1...c.epochs(forRows: n) {                      // 2c
                    if c.freshPartnersEachEpoch && epoch > 1 { partner = random.permutation(rows) }
                    random.shuffle(&order)
                    var lossSum = 0.0, steps = 0
                    var start = 0
                    while start < rows {
                        if hooks.shouldStop?() == true { throw MIRIError.cancelled(completedRounds: k - 1) }
                        let batch = min(batchRows, rows - start)
                        trainer.prepare(rows: order[start..<(start + batch)], data: xs.baseAddress!, observed: os.baseAddress!,
                                        partner: partner, random: &random)
                        start += batch
                        guard let loss = trainer.step(rows: batch) else { continue }
                        if !loss.isFinite { throw MIRIError.diverged(round: k, stage: "training (epoch \(epoch))") }
                        lossSum += Double(loss)
                        steps += 1
                    }
                    epochLoss = steps > 0 ? lossSum / Double(steps) : 0
                    roundLoss += lossSum
                    roundSteps += steps
                    hooks.epochFinished?(k, epoch, Float(epochLoss))
                }
            }
        }
        trainer.finish()
        let trainSeconds = seconds(since: trainStart)

        let odeStart = DispatchTime.now()                           // 2d
        guard let next = reimputed(x, observed: observed, network: network) else {
            throw MIRIError.diverged(round: k, stage: "the ODE re-imputation")
        }
        x = next
        let diag = RoundDiagnostics(round: k, meanLoss: Float(roundSteps > 0 ? roundLoss / Double(roundSteps) : 0),
                                    finalEpochLoss: Float(epochLoss), trainingSeconds: trainSeconds,
                                    odeSeconds: seconds(since: odeStart))
        return (network, diag)
    }
}

extension MIRIRounds {
    /// Step 2d: each imputation stacked in `x` (whole copies of the n rows of `observed`) moved
    /// by the ODE of `network` separately, then clamped to `bounds`; nil when a value is not finite.
    func reimputed(_ x: Matrix, observed: Matrix, network: MLP) -> Matrix? {
        let n = observed.rows, d = x.cols, chains = x.rows / n
        let sampler = EulerSampler(steps: configuration.odeSteps, blockRows: configuration.odeBlockRows)
        var next = x
        for chain in 0..<chains {
            var copy = chains == 1 ? x : x.rows(chain * n..<(chain + 1) * n)
            sampler.integrate(network: network, x: &copy, observed: observed)
            if copy.storage.contains(where: { !$0.isFinite }) { return nil }
            bounds?.clampMissing(&copy, observed: observed)
            if chains == 1 { next = copy } else { next.storage.replaceSubrange(chain * n * d..<(chain + 1) * n * d, with: copy.storage) }
        }
        return next
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
