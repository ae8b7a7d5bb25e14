import Flow
/// What one MIRI round did: its training loss and where its time went (`MIRIReport` holds
/// one per round; `MIRIHooks.roundFinished` hands each over as it ends).
public struct RoundDiagnostics: Sendable, Equatable, Codable {
    /// Which round, counted from 1.
    public var round: Int
    /// Mean of the minibatch losses over the whole round.
    public var meanLoss: Float
    /// Mean of the minibatch losses of the round's last epoch.
    public var finalEpochLoss: Float
    /// Wall seconds of the round's training.
    public var trainingSeconds: Double
    /// Wall seconds of the round's ODE re-imputation.
    public var odeSeconds: Double

    /// A round's record.

    public init(round: Int, meanLoss: Float, finalEpochLoss: Float, trainingSeconds: Double, odeSeconds: Double) {
        self.round = round
        self.meanLoss = meanLoss
        self.finalEpochLoss = finalEpochLoss
        self.trainingSeconds = trainingSeconds
        self.odeSeconds = odeSeconds
    }
}
