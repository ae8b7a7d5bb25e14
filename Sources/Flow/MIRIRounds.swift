import Foundation
import Linalg

/// What one MIRI round did.
public struct RoundDiagnostics: Sendable, Equatable, Codable {
    public var round: Int
    /// Mean of the minibatch losses over the whole round.
    public var meanLoss: Float
    /// Mean of the minibatch losses of the round's last epoch.
    public var finalEpochLoss: Float
    public var trainingSeconds: Double
    public var odeSeconds: Double

    public init(round: Int, meanLoss: Float, finalEpochLoss: Float, trainingSeconds: Double, odeSeconds: Double) {
        self.round = round
        self.meanLoss = meanLoss
        self.finalEpochLoss = finalEpochLoss
        self.trainingSeconds = trainingSeconds
        self.odeSeconds = odeSeconds
    }
}

/// Why a MIRI run stopped without a result.
public enum MIRIError: Error, CustomStringConvertible, Equatable {
    /// Training or the ODE produced a non-finite number.
    case diverged(round: Int, stage: String)
    /// The caller asked to stop (e.g. SIGINT); `completedRounds` rounds were finished.
    case cancelled(completedRounds: Int)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .diverged(round, stage):
            return "MIRI diverged in round \(round): \(stage) produced a non-finite value. "
                + "Lower the learning rate (e.g. --lr 0.001), use the 'fast' preset, or use smaller hidden widths."
        case let .cancelled(done):
            return "MIRI was cancelled after \(done) completed round(s)"
        case let .invalidConfiguration(message):
            return "invalid MIRI configuration: \(message)"
        }
    }
}

/// Callbacks a caller can hang on a run: progress, per-round inspection, cancellation.
public struct MIRIHooks: @unchecked Sendable {
    /// After each epoch: (round, epoch, mean loss of that epoch). Both counted from 1.
    public var epochFinished: ((Int, Int, Float) -> Void)?
    /// After each round's ODE: the diagnostics and the current (standardized) table.
    public var roundFinished: ((RoundDiagnostics, Matrix) -> Void)?
    /// Polled between steps; returning true stops the run with `MIRIError.cancelled`.
    public var shouldStop: (() -> Bool)?

    public init(epochFinished: ((Int, Int, Float) -> Void)? = nil,
                roundFinished: ((RoundDiagnostics, Matrix) -> Void)? = nil,
                shouldStop: (() -> Bool)? = nil) {
        self.epochFinished = epochFinished
        self.roundFinished = roundFinished
        self.shouldStop = shouldStop
    }
}

/// The round loop of MIRI (SPEC step 2) on a standardized, noise-filled table.
public struct MIRIRounds {
    public let configuration: MIRIConfiguration
    public var hooks: MIRIHooks
    /// Where imputations are clamped after each round's ODE (nil: nowhere).
    public var bounds: ColumnBounds?

    public init(configuration: MIRIConfiguration, hooks: MIRIHooks = MIRIHooks(), bounds: ColumnBounds? = nil) {
        self.configuration = configuration
        self.hooks = hooks
        self.bounds = bounds
    }

    /// Runs rounds `firstRound … configuration.rounds` on `x` (the stacked imputations of
    /// `runRound`, standardized; missing entries hold the current imputations) with `observed`
    /// (n × d, 1 observed, 0 missing). Returns each round's trained network and diagnostics;
    /// `x` ends with the final imputations, and `hooks.roundFinished` sees the first one.
    public func run(x: inout Matrix, observed: Matrix, random: inout RandomSource,
                    firstRound: Int = 1) throws -> (networks: [MLP], diagnostics: [RoundDiagnostics]) {
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }
        var networks: [MLP] = []
        var diagnostics: [RoundDiagnostics] = []
        if firstRound > configuration.rounds { return (networks, diagnostics) }
        for k in firstRound...configuration.rounds {
            let (network, diag) = try runRound(k, x: &x, observed: observed, random: &random, previous: networks.last)
            networks.append(network)
            diagnostics.append(diag)
            hooks.roundFinished?(diag, x.rows == observed.rows ? x : x.rows(0..<observed.rows))
        }
        return (networks, diagnostics)
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
    public func runRound(_ k: Int, x: inout Matrix, observed: Matrix,
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
        let sampler = EulerSampler(steps: c.odeSteps, blockRows: c.odeBlockRows)
        var next = x
        for chain in 0..<chains {
            var copy = chains == 1 ? x : x.rows(chain * n..<(chain + 1) * n)
            sampler.integrate(network: network, x: &copy, observed: observed)
            if copy.storage.contains(where: { !$0.isFinite }) { throw MIRIError.diverged(round: k, stage: "the ODE re-imputation") }
            bounds?.clampMissing(&copy, observed: observed)
            if chains == 1 { next = copy } else { next.storage.replaceSubrange(chain * n * d..<(chain + 1) * n * d, with: copy.storage) }
        }
        x = next
        let diag = RoundDiagnostics(round: k, meanLoss: Float(roundSteps > 0 ? roundLoss / Double(roundSteps) : 0),
                                    finalEpochLoss: Float(epochLoss), trainingSeconds: trainSeconds,
                                    odeSeconds: seconds(since: odeStart))
        return (network, diag)
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
