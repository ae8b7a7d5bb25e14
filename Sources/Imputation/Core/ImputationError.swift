/// Why an imputer stopped without a result when its caller asked it to, whatever the method:
/// part of the `Imputer` and `FittedImputer` contract, so a caller handles one error for all.
public enum ImputationError: Error, CustomStringConvertible, Equatable {
    /// The caller's `shouldStop` returned true (e.g. on SIGINT); `completedRounds` rounds were
    /// finished (0 for methods without rounds, and for a model's transform).
    case cancelled(completedRounds: Int)

    public var description: String {
        switch self {
        case let .cancelled(done): return "the imputation was cancelled after \(done) completed round(s)"
        }
    }
}
