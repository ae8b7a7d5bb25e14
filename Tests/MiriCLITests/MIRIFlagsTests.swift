import Flow
import Imputation
import Testing
@testable import miri

/// `miri impute` and `miri fit` read their MIRI flags through the library's builder, as
/// `miri-bench quality` does (BenchTests' QualityFlagsTests): one reading of every flag.
@Suite("miri's MIRI flags")
struct MIRIFlagsTests {
    @Test("--epochs 2 under the fast preset runs 2 epochs a round, whatever the table's size")
    func epochs() throws {
        let c = try MIRIOptions.parse(["--epochs", "2"]).configuration
        #expect(c.stepsPerRound == nil)
        #expect(c.epochs(forRows: 308) == 2 && c.epochs(forRows: 45_730) == 2)
    }

    @Test("the flags build what the builder builds from the same values, the seed through the shared settings")
    func sameAsBuilder() throws {
        let options = try MIRIOptions.parse(["--seed", "4", "--preset", "paper", "--rounds", "2", "--hidden", "8,8",
                                             "--chain-rows", "0", "--weight-average", "0.5", "--lr", "0.01"])
        var b = MIRIConfigurationBuilder()
        b.preset = "paper"; b.seed = 4; b.rounds = 2; b.hiddenWidths = [8, 8]; b.chainRows = 0
        b.weightAverageDecay = 0.5; b.learningRate = 0.01
        let settings = ImputationMethod.Settings(miri: options, threads: try ThreadsOption.parse([]))
        #expect(settings.miriConfiguration == (try b.configuration()))
    }
}
