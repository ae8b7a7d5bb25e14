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

    /// Runs rounds `firstRound … configuration.rounds` on `x` (n × d, standardized; missing
    /// entries hold the current imputations) with `observed` (1 observed, 0 missing).
    /// Returns each round's trained network and diagnostics; `x` ends with the final imputations.
    public func run(x: inout Matrix, observed: Matrix, random: inout RandomSource,
                    firstRound: Int = 1) throws -> (networks: [MLP], diagnostics: [RoundDiagnostics]) {
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }
        var networks: [MLP] = []
        var diagnostics: [RoundDiagnostics] = []
        if firstRound > configuration.rounds { return (networks, diagnostics) }
        for k in firstRound...configuration.rounds {
            let (network, diag) = try runRound(k, x: &x, observed: observed, random: &random)
            networks.append(network)
            diagnostics.append(diag)
            hooks.roundFinished?(diag, x)
        }
        return (networks, diagnostics)
    }

    /// One round: a fresh network trained on (X, a shuffled copy of X), then the ODE re-imputes X.
    public func runRound(_ k: Int, x: inout Matrix, observed: Matrix,
                         random: inout RandomSource) throws -> (MLP, RoundDiagnostics) {
        let c = configuration
        let n = x.rows, d = x.cols
        var partner = random.permutation(n)                         // step 2a
        let network = MLP(widths: [3 * d + 1] + c.hiddenWidths + [d], random: &random)   // 2b
        let batchRows = min(c.batchSize, n)
        let trainer = FlowTrainer(network: network, columns: d, batchCapacity: batchRows, configuration: c)

        let trainStart = DispatchTime.now()
        var order = Array(0..<n)
        var roundLoss = 0.0, roundSteps = 0, epochLoss = 0.0
        try x.storage.withUnsafeBufferPointer { xs in
            try observed.storage.withUnsafeBufferPointer { os in
                for epoch in 1...c.epochs(forRows: n) {                         // 2c
                    if c.freshPartnersEachEpoch && epoch > 1 { partner = random.permutation(n) }
                    random.shuffle(&order)
                    var lossSum = 0.0, steps = 0
                    var start = 0
                    while start < n {
                        if hooks.shouldStop?() == true { throw MIRIError.cancelled(completedRounds: k - 1) }
                        let rows = min(batchRows, n - start)
                        trainer.prepare(rows: order[start..<(start + rows)], data: xs.baseAddress!, observed: os.baseAddress!,
                                        partner: partner, random: &random)
                        start += rows
                        guard let loss = trainer.step(rows: rows) else { continue }
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
        let trainSeconds = seconds(since: trainStart)

        let odeStart = DispatchTime.now()                           // 2d
        var next = x
        EulerSampler(steps: c.odeSteps, blockRows: c.odeBlockRows).integrate(network: network, x: &next, observed: observed)
        if next.storage.contains(where: { !$0.isFinite }) { throw MIRIError.diverged(round: k, stage: "the ODE re-imputation") }
        bounds?.clampMissing(&next, observed: observed)
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
