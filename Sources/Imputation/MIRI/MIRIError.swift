import Flow
/// Why a MIRI run failed (a stop the caller asked for is `ImputationError.cancelled`).
public enum MIRIError: Error, CustomStringConvertible, Equatable {
    /// Training or the ODE produced a non-finite number.
    case diverged(round: Int, stage: String)
    /// A setting is out of its range; the message names it and its value.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .diverged(round, stage):
            return "MIRI diverged in round \(round): \(stage) produced a non-finite value. "
                + "Lower the learning rate (e.g. --lr 0.001), use the 'calibrated' (default) or 'fast' preset, or use smaller hidden widths."
        case let .invalidConfiguration(message):
            return "invalid MIRI configuration: \(message)"
        }
    }
}
