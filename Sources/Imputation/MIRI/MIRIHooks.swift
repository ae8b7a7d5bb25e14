import Flow
import Linalg

/// Callbacks a caller can hang on a MIRI run: progress, the table round by round, cancellation.
///
/// The tables handed over are on the input's own scale: observed cells are the input's, bit
/// for bit, and each missing cell holds the run's current imputation (which may be ±inf or NaN
/// in a run about to stop with `MIRIError.diverged`).
///
/// The closures run on the thread that called the imputer, one at a time. They are not required
/// to be `@Sendable` (progress displays keep state), so an imputer holding hooks that touch
/// shared state must not run on two threads at once; an imputer without hooks may.
public struct MIRIHooks: @unchecked Sendable {
    /// After each epoch: (round, epoch, mean loss of that epoch). Both counted from 1.
    public var epochFinished: ((Int, Int, Float) -> Void)?
    /// Round 0, before any training: the table with every missing cell filled from N(0, 1) on
    /// MIRI's standardized scale (the noise fill the flows start from).
    public var noiseFilled: ((Matrix) -> Void)?
    /// After each round's ODE: what the round did and the table as it stands.
    public var roundFinished: ((RoundDiagnostics, Matrix) -> Void)?
    /// Polled between steps; returning true stops the run with `ImputationError.cancelled`.
    public var shouldStop: (() -> Bool)?

    /// Hooks that do nothing unless given.
    public init(epochFinished: ((Int, Int, Float) -> Void)? = nil,
                noiseFilled: ((Matrix) -> Void)? = nil,
                roundFinished: ((RoundDiagnostics, Matrix) -> Void)? = nil,
                shouldStop: (() -> Bool)? = nil) {
        self.epochFinished = epochFinished
        self.noiseFilled = noiseFilled
        self.roundFinished = roundFinished
        self.shouldStop = shouldStop
    }
}
