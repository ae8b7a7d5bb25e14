import Flow
import Imputation

/// Bounds on every field of a MIRI configuration stored in a model or checkpoint file, beyond
/// `MIRIConfiguration.validationError()` (which only asks for positive values).
///
/// Why: the configuration comes from a file, and a damaged or made-up file can hold values that
/// validate but cannot be meant: `odeSteps` = 2³¹ makes `apply` run without end, a hidden width
/// of 2²⁰ or an ODE block of 2⁴⁰ rows asks for more memory than exists, β₁ = −1 or ε = −1 break
/// Adam on resume. Each bound is far beyond any real run (the paper preset uses 100 Euler
/// steps, 10 rounds, 100 epochs, 3 × 1001 hidden units, 2 M parameters, ODE blocks of 1,024
/// rows) and small enough that the work and memory it allows stay finite and allocatable.
/// `miri fit` and checkpointed runs check them before training, so every file the tool writes
/// is one it reads back.
package enum ConfigurationLimits {
    package static let rounds = 1_000
    package static let epochs = 100_000
    package static let stepsPerRound = 10_000_000
    package static let batchSize = 1 << 20
    package static let odeSteps = 10_000
    package static let odeBlockRows = 1 << 20
    package static let hiddenLayers = 64
    package static let hiddenWidth = 1 << 16
    /// Weights and biases of one network (1 GiB of Float).
    package static let parameters = 1 << 28
    /// Floats of one layer's activations for an ODE block or a minibatch (rows × widest layer).
    package static let activations = 1 << 28
    /// Adam's step size: far above any that trains (1e-2 already diverges often).
    package static let learningRate: Float = 1_000
    /// Adam's ε: a positive number no larger than this.
    package static let epsilon: Float = 1

    /// The first field of `c` out of bounds for a table of `columns` columns, as
    /// "field: reason", or nil when every field is within bounds.
    package static func violation(in c: MIRIConfiguration, columns d: Int) -> String? {
        if let message = c.validationError() { return message }
        if c.rounds > rounds { return "rounds \(c.rounds) is more than the \(rounds) allowed" }
        if c.epochs > epochs { return "epochs \(c.epochs) is more than the \(epochs) allowed" }
        if let s = c.stepsPerRound, s > stepsPerRound { return "stepsPerRound \(s) is more than the \(stepsPerRound) allowed" }
        if c.batchSize > batchSize { return "batchSize \(c.batchSize) is more than the \(batchSize) allowed" }
        if c.odeSteps > odeSteps { return "odeSteps \(c.odeSteps) is more than the \(odeSteps) allowed" }
        if c.odeBlockRows > odeBlockRows { return "odeBlockRows \(c.odeBlockRows) is more than the \(odeBlockRows) allowed" }
        if c.hiddenWidths.count > hiddenLayers {
            return "hiddenWidths has \(c.hiddenWidths.count) layers, more than the \(hiddenLayers) allowed"
        }
        if let w = c.hiddenWidths.first(where: { $0 > hiddenWidth }) {
            return "hiddenWidths \(w) is wider than the \(hiddenWidth) allowed"
        }
        let widths = ModelSections.expectedWidths(columns: d, configuration: c)
        guard let count = ModelSections.parameterCount(widths), count <= parameters else {
            // Name the layers the network gets: on a wide table they are widened past the setting.
            let hidden = c.hiddenWidths(columns: d)
            let widened = hidden == c.hiddenWidths ? "" : " (widened with the table from \(c.hiddenWidths))"
            return "hiddenWidths \(hidden)\(widened) on \(d) columns make a network of more than \(parameters) parameters"
        }
        let widest = widths.max() ?? 0
        for (field, rows) in [("odeBlockRows", c.odeBlockRows), ("batchSize", c.batchSize)] {
            let (size, overflow) = rows.multipliedReportingOverflow(by: widest)
            if overflow || size > activations {
                return "\(field) \(rows) times the widest layer (\(widest)) is more than the \(activations) activations allowed"
            }
        }
        if !(c.learningRate <= learningRate) { return "learningRate \(c.learningRate) is more than the \(learningRate) allowed" }
        if !(c.beta1 >= 0 && c.beta1 < 1) { return "beta1 \(c.beta1) is not in [0, 1)" }
        if !(c.beta2 >= 0 && c.beta2 < 1) { return "beta2 \(c.beta2) is not in [0, 1)" }
        if !(c.epsilon > 0 && c.epsilon <= epsilon) { return "epsilon \(c.epsilon) is not in (0, \(epsilon)]" }
        return nil
    }
}
