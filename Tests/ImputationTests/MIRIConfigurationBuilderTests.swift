import Flow
import Imputation
import Testing

/// The one builder `miri` and `miri-bench` turn MIRI flags into settings with.
@Suite("MIRI configuration builder")
struct MIRIConfigurationBuilderTests {
    @Test("nothing given: the calibrated preset itself; 'fast' and 'paper' those presets")
    func presets() throws {
        #expect(try MIRIConfigurationBuilder().configuration() == .calibrated)
        var b = MIRIConfigurationBuilder()
        b.preset = "fast"
        #expect(try b.configuration() == .fast)
        b.preset = "paper"
        #expect(try b.configuration() == .paper)
        b.preset = "calibrated"
        let calibrated = try b.configuration()
        #expect(calibrated == .calibrated && calibrated.odeSolver == .midpoint && calibrated.observedPartnerWeight == 3)
        b.preset = "slow"
        #expect(throws: MIRIError.invalidConfiguration("unknown preset 'slow' (calibrated, fast or paper)")) { try b.configuration() }
    }

    @Test("hidden widths given by hand are used exactly: the preset's widening with the table is switched off")
    func handWidthsAreExact() throws {
        var b = MIRIConfigurationBuilder()
        #expect(try b.configuration().widensWithTable)
        #expect(try b.configuration().networkWidths(columns: 64) == [193, 256, 256, 64])
        b.hiddenWidths = [64, 32]
        let c = try b.configuration()
        #expect(!c.widensWithTable && c.networkWidths(columns: 64) == [193, 64, 32, 64])
    }

    @Test("the solver and the partner weight are set by name; a weight of 0 switches the weight off, a negative one is refused")
    func solverAndWeight() throws {
        var b = MIRIConfigurationBuilder()
        b.odeSolver = .heun; b.observedPartnerWeight = 2
        let c = try b.configuration()
        #expect(c.odeSolver == .heun && c.observedPartnerWeight == 2)
        b.preset = "calibrated"; b.observedPartnerWeight = 0
        #expect(try b.configuration().observedPartnerWeight == nil)
        b.observedPartnerWeight = -1
        #expect(throws: MIRIError.self) { try b.configuration() }
    }

    @Test("--epochs clears the fast preset's step budget, so the epochs given are the epochs run")
    func epochsClearTheStepBudget() throws {
        var b = MIRIConfigurationBuilder()
        b.epochs = 2
        let c = try b.configuration()
        #expect(c.stepsPerRound == nil)
        // 1,000 rows, 8 side-by-side copies (⌈8192 / 1000⌉ = 9, at most 16: 9), batch 128:
        // with the budget of 600 steps it would be ⌈600 / ⌈9000 / 128⌉⌉ = ⌈600 / 71⌉ = 9 epochs.
        #expect(c.epochs(forRows: 1000) == 2)
        #expect(MIRIConfiguration.fast.epochs(forRows: 1000) == 9)
    }

    @Test("a step budget given with the epochs is kept")
    func stepsWithEpochs() throws {
        var b = MIRIConfigurationBuilder()
        b.epochs = 2
        b.stepsPerRound = 50
        #expect(try b.configuration().stepsPerRound == 50)
    }

    @Test("0 switches off side-by-side imputations and weight averaging; out-of-range values are named")
    func zeroMeansOff() throws {
        var b = MIRIConfigurationBuilder()
        b.chainRows = 0
        b.weightAverageDecay = 0
        let c = try b.configuration()
        #expect(c.chainRows == nil && c.weightAverageDecay == nil)
        b.chainRows = -1
        #expect(throws: MIRIError.invalidConfiguration("chain rows must be 0 (one imputation) or more (got -1)")) { try b.configuration() }
        b.chainRows = nil
        b.weightAverageDecay = 1
        #expect(throws: MIRIError.invalidConfiguration("weight average decay must be in [0, 1) (got 1.0)")) { try b.configuration() }
        b.weightAverageDecay = nil
        b.rounds = 0
        #expect(throws: MIRIError.invalidConfiguration("rounds must be at least 1 (got 0)")) { try b.configuration() }
    }

    @Test("every field given replaces the preset's")
    func fields() throws {
        var b = MIRIConfigurationBuilder()
        b.seed = 9; b.rounds = 3; b.batchSize = 7; b.odeSteps = 5; b.hiddenWidths = [8, 4]
        b.learningRate = 0.5; b.warmStart = false; b.chainRows = 100; b.weightAverageDecay = 0.5
        let c = try b.configuration()
        #expect(c.seed == 9 && c.rounds == 3 && c.batchSize == 7 && c.odeSteps == 5 && c.hiddenWidths == [8, 4])
        #expect(c.learningRate == 0.5 && !c.warmStart && c.chainRows == 100 && c.weightAverageDecay == 0.5)
        #expect(c.stepsPerRound == 600, "no --epochs: the preset's budget stays")
    }

    @Test("hidden widths: positive integers, comma separated", arguments: [
        ("128,128", [128, 128] as [Int]?), (" 64 , 32", [64, 32]), ("16", [16]),
        ("16,x", nil), ("", nil), ("0", nil), ("8,,8", nil), ("-4", nil),
    ])
    func widths(_ text: String, _ expected: [Int]?) {
        #expect(MIRIConfigurationBuilder.widths(text) == expected)
    }
}
