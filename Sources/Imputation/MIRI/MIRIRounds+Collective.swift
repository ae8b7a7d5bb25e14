import Flow
import Foundation
import Linalg

/// A round of MIRI whose rows are split over the ranks of a data-parallel run.
extension MIRIRounds {
    /// Round `k` on this rank's rows: `x` stacks this rank's share of each imputation (as
    /// `runRound` stacks whole ones), `observed` is the mask of this rank's rows, `tableRows`
    /// the whole table's row count (it fixes the epochs, as in a single process).
    ///
    /// - The global minibatch is `batchSize` rows as in one process; rank r takes its share
    ///   (⌊B/P⌋, one more for the first B mod P ranks) of its own shuffled rows, and every rank
    ///   takes the same number of steps per epoch (that of the whole table).
    /// - Partners are drawn among the rank's own rows: a sample of the table's marginal
    ///   provided the rows were dealt to ranks independently of their values (round-robin).
    /// - The network starts from rank 0's init (or the previous round's network, the same on
    ///   every rank) and every step all-reduces the gradient (`FlowTrainer.step(rows:communicator:)`).
    /// - Each rank re-imputes its own rows; a rank whose ODE diverges makes every rank throw.
    ///
    /// `random` is this rank's own stream (rank 0's is the single-process one). With one rank
    /// (`SingleProcess`) this is the whole round of one process, which `runRound(_:x:observed:random:previous:)`
    /// calls; `hooks.shouldStop` is polled before each step only then.
    package func runRound(_ k: Int, x: inout Matrix, observed: Matrix, tableRows: Int, random: inout RandomSource,
                          previous: MLP?, communicator: Communicator) throws -> (MLP, RoundDiagnostics) {
        let comm = communicator
        let c = configuration
        let n = observed.rows, d = x.cols
        precondition(n > 0 && x.rows % n == 0 && observed.cols == d, "x must stack whole copies of this rank's rows")
        let chains = x.rows / n
        let allObserved = chains == 1 ? observed : Matrix(rows: x.rows, cols: d,
                                                          storage: Array([[Float]](repeating: observed.storage, count: chains).joined()))
        let rows = x.rows
        let globalRows = tableRows * chains
        var partner = random.permutation(rows)
        let widths = c.networkWidths(columns: d)
        let network: MLP
        if c.warmStart, let previous, previous.widths == widths {
            network = previous.copy()
        } else {
            network = comm.rank == 0 ? MLP(widths: widths, random: &random) : MLP(widths: widths)
            network.broadcastParameters(from: 0, over: comm)
        }
        let globalBatch = min(c.batchSize, globalRows)
        let share = globalBatch / comm.size + (comm.rank < globalBatch % comm.size ? 1 : 0)
        let steps = (globalRows + globalBatch - 1) / globalBatch
        // The last step takes every row left, so an epoch visits each of this rank's rows.
        let capacity = max(1, share, rows - (steps - 1) * share)
        let trainer = FlowTrainer(network: network, columns: d, batchCapacity: capacity, optimizer: c.optimizer,
                                  observedPartnerWeight: c.observedPartnerWeight ?? 0)

        let trainStart = Stopwatch()
        var order = Array(0..<rows)
        var roundLoss = 0.0, roundSteps = 0, epochLoss = 0.0
        try x.storage.withUnsafeBufferPointer { xs in
            try allObserved.storage.withUnsafeBufferPointer { os in
                for epoch in 1...c.epochs(forRows: tableRows) {
                    if c.freshPartnersEachEpoch && epoch > 1 { partner = random.permutation(rows) }
                    random.shuffle(&order)
                    var lossSum = 0.0, taken = 0
                    for s in 0..<steps {
                        // Polled alone only: a rank that stopped by itself would leave the others waiting.
                        if comm.size == 1, hooks.shouldStop?() == true { throw ImputationError.cancelled(completedRounds: k - 1) }
                        let start = min(s * share, rows)
                        let end = s == steps - 1 ? rows : min(start + share, rows)
                        if end > start {
                            trainer.prepare(rows: order[start..<end], data: xs.baseAddress!, observed: os.baseAddress!,
                                            partner: partner, random: &random)
                        }
                        guard let loss = trainer.step(rows: end - start, communicator: comm) else { continue }
                        if !loss.isFinite { throw MIRIError.diverged(round: k, stage: "training (epoch \(epoch))") }
                        lossSum += Double(loss)
                        taken += 1
                    }
                    epochLoss = taken > 0 ? lossSum / Double(taken) : 0
                    roundLoss += lossSum
                    roundSteps += taken
                    hooks.epochFinished?(k, epoch, Float(epochLoss))
                }
            }
        }
        trainer.finish()
        // Every rank took the same steps from the same sums; rank 0's copy is made everyone's
        // so that no difference in the last bit can ever split the model.
        network.broadcastParameters(from: 0, over: comm)
        let trainSeconds = trainStart.seconds

        let odeStart = Stopwatch()
        let next = reimputed(x, observed: observed, network: network)     // this rank's rows
        if comm.sum([next == nil ? 1 : 0])[0] > 0 { throw MIRIError.diverged(round: k, stage: "the ODE re-imputation") }
        x = next!
        let diag = RoundDiagnostics(round: k, meanLoss: Float(roundSteps > 0 ? roundLoss / Double(roundSteps) : 0),
                                    finalEpochLoss: Float(epochLoss), trainingSeconds: trainSeconds,
                                    odeSeconds: odeStart.seconds)
        return (network, diag)
    }
}

extension MLP {
    /// Gives every rank the parameters of rank `root`.
    package func broadcastParameters(from root: Int, over communicator: Communicator) {
        communicator.broadcast(UnsafeMutableRawBufferPointer(start: parameters.pointer, count: parameters.count * 4), root: root)
    }
}
