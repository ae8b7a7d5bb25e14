import Flow
import Foundation
import Imputation
import Linalg

/// A MIRI fit as the tool runs it (for `impute --method miri` and `fit`): the progress display
/// on standard error and Ctrl-C stopping at the next minibatch.
struct MIRITraining {
    var configuration: MIRIConfiguration
    /// Draw the live progress line (standard error is a terminal, or `--progress`).
    var live: Bool
    var quiet: Bool

    /// Fits on `values` (NaN = missing) and imputes them.
    func run(_ values: Matrix, interruption: Interruption) throws -> (model: FittedMIRI, imputed: Matrix) {
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: values.rows),
                                      live: live, quiet: quiet)
        defer { display.finish() }
        let imputer = MIRIImputer(configuration: configuration, hooks: display.hooks(shouldStop: { interruption.requested }))
        return try interruption.cooperating { try imputer.fitAndImpute(values) }
    }
}
