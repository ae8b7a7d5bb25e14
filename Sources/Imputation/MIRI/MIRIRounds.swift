import Flow
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
        // One process is the data-parallel round with P = 1: every collective is the identity,
        // one rank's share of the minibatch is all of it, and the steps are `step(rows:)`.
        try runRound(k, x: &x, observed: observed, tableRows: observed.rows, random: &random, previous: previous,
                     communicator: SingleProcess())
    }
}

extension MIRIRounds {
    /// Step 2d: each imputation stacked in `x` (whole copies of the n rows of `observed`) moved
    /// by the ODE of `network` separately, then clamped to `bounds`; nil when a value is not finite.
    func reimputed(_ x: Matrix, observed: Matrix, network: MLP) -> Matrix? {
        let n = observed.rows, d = x.cols, chains = x.rows / n
        let sampler = FlowSampler(steps: configuration.odeSteps, blockRows: configuration.odeBlockRows, solver: configuration.odeSolver)
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
