import ArgumentParser
import Flow
import Imputation

/// MIRI's training flags, shared by `miri impute` and `miri fit` with the same spellings:
/// `--seed`, `--preset`, then one flag per field of the preset it overrides.
struct MIRIOptions: ParsableArguments {
    @Option(help: "Seed of every random choice; the same seed and --threads give the same output.")
    var seed: UInt64 = 0

    @Option(help: "MIRI settings to start from: calibrated (the default: draws of the right width, a network as wide as the table, docs/presets.md), fast (the previous default; narrower draws) or paper (the authors' settings; slow, may diverge).")
    var preset: Preset = .calibrated

    @Option(help: ArgumentHelp("MIRI: rounds of train-then-re-impute (K).", valueName: "K"))
    var rounds: Int?

    @Option(help: ArgumentHelp("MIRI: training epochs per round (E); replaces any per-round step budget of the preset.", valueName: "E"))
    var epochs: Int?

    @Option(help: ArgumentHelp("MIRI: rows per training minibatch (B).", valueName: "B"))
    var batchSize: Int?

    @Option(help: ArgumentHelp("MIRI: Euler steps of each round's re-imputation ODE.", valueName: "N"))
    var steps: Int?

    @Option(help: ArgumentHelp("MIRI: how each round's re-imputation ODE is integrated: euler (SPEC), midpoint or heun (two network evaluations a step).", valueName: "solver"))
    var odeSolver: ODESolver?

    @Option(help: ArgumentHelp("MIRI: hidden layer widths of the velocity network, comma separated (exactly these: the preset's widening with the table is off).", valueName: "1001,1001,1001"))
    var hidden: HiddenWidths?

    @Option(help: ArgumentHelp("MIRI: Adam's learning rate.", valueName: "0.01"))
    var lr: Float?

    @Flag(inversion: .prefixedNo, help: "MIRI: start each round's network from the previous round's trained weights.")
    var warmStart: Bool?

    @Option(help: ArgumentHelp("MIRI: evolve enough imputations of the table side by side to hold this many rows (at most 16 copies; 0: one).", valueName: "rows"))
    var chainRows: Int?

    @Option(help: ArgumentHelp("MIRI: each round's network ends as the moving average of its weights with this decay (0: its last weights).", valueName: "0.99"))
    var weightAverage: Float?

    @Option(help: ArgumentHelp("MIRI: a missing entry whose training partner observes it counts 1 + λ times in the loss (0: once, as SPEC).", valueName: "λ"))
    var observedPartnerWeight: Float?

    @Option(help: ArgumentHelp("MIRI: models `fit` keeps for drawing: the fit on the whole table and M - 1 fits on bootstrap resamples of its rows, which consecutive draws cycle through (1: one model; `impute` fits the first only).", valueName: "M"))
    var members: Int?

    /// The flags as the library's one configuration builder takes them.
    var builder: MIRIConfigurationBuilder {
        var b = MIRIConfigurationBuilder()
        b.preset = preset.rawValue
        b.rounds = rounds
        b.epochs = epochs
        b.batchSize = batchSize
        b.odeSteps = steps
        b.odeSolver = odeSolver
        b.hiddenWidths = hidden?.widths
        b.learningRate = lr
        b.warmStart = warmStart
        b.chainRows = chainRows
        b.weightAverageDecay = weightAverage
        b.observedPartnerWeight = observedPartnerWeight
        b.members = members
        return b
    }

    /// The preset with each given flag applied (`validate` has checked that it builds); its
    /// seed is left to `ImputationMethod.Settings.seed`.
    var configuration: MIRIConfiguration {
        guard let c = try? builder.configuration() else { preconditionFailure("validate() accepts only settings that build") }
        return c
    }

    /// The MIRI-only flags that were given, by spelling (for "ignored with --method mean").
    var givenFlags: [String] {
        [("--rounds", rounds != nil), ("--epochs", epochs != nil), ("--batch-size", batchSize != nil),
         ("--steps", steps != nil), ("--ode-solver", odeSolver != nil), ("--hidden", hidden != nil), ("--lr", lr != nil),
         ("--warm-start", warmStart != nil), ("--chain-rows", chainRows != nil),
         ("--weight-average", weightAverage != nil), ("--observed-partner-weight", observedPartnerWeight != nil),
         ("--members", members != nil)].filter(\.1).map(\.0)
    }

    func validate() throws {
        do { _ = try builder.configuration() } catch MIRIError.invalidConfiguration(let message) { throw ValidationError(message) }
    }

    /// One line describing the settings, for the final summary (`MIRIConfiguration.summary`).
    func summary(_ c: MIRIConfiguration, rows: Int, columns: Int) -> String {
        c.summary(preset: preset.rawValue, rows: rows, columns: columns)
    }
}

extension ODESolver: ExpressibleByArgument {}
