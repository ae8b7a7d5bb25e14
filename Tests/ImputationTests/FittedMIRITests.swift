import Testing
import Linalg
import Flow
import Imputation

@Suite("Fitted MIRI model")
struct FittedMIRITests {
    static func table() -> (truth: Matrix, masked: Matrix) {
        let truth = Synthetic.equicorrelated(rows: 300, columns: 3, rho: 0.8, seed: 21)
        return (truth, Synthetic.mcar(truth, rate: 0.3, seed: 22))
    }

    static var config: MIRIConfiguration {
        var c = Synthetic.testConfiguration
        c.rounds = 3; c.epochs = 5; c.odeBlockRows = 64
        return c
    }

    @Test("applying the model to its training table with the fit's seed reproduces impute exactly")
    func applyReproducesImpute() throws {
        let (_, masked) = Self.table()
        let imputer = MIRIImputer(configuration: Self.config)
        let direct = try imputer.impute(masked).imputed
        let model = try imputer.fit(masked)
        #expect(model.networks.count == 3)
        let applied = try model.transform(masked, seed: Self.config.seed).imputed
        #expect(applied == direct)
        // A different seed is a different draw.
        #expect(try model.transform(masked, seed: 99).imputed != direct)
    }

    @Test("new rows: observed entries kept, no NaN, far better than the column means")
    func inductive() throws {
        // The table of MIRIImputerTests.beatsMean (d = 4, ρ = 0.9, 40% MCAR), whose single
        // conditional draw scores RMSE ≈ 0.65 and mean imputation ≈ 1; the fitted flows are
        // applied to 500 fresh rows of the same law and must stay below 0.85 there too.
        let truth = Synthetic.equicorrelated(rows: 1000, columns: 4, rho: 0.9, seed: 3)
        let masked = Synthetic.mcar(truth, rate: 0.4, seed: 4)
        let model = try MIRIImputer(configuration: Synthetic.testConfiguration).fit(masked)
        let freshTruth = Synthetic.equicorrelated(rows: 500, columns: 4, rho: 0.9, seed: 23)
        let fresh = Synthetic.mcar(freshTruth, rate: 0.4, seed: 24)
        let out = try model.transform(fresh, seed: 5).imputed
        for k in 0..<fresh.count {
            #expect(!out.storage[k].isNaN)
            if !fresh.storage[k].isNaN { #expect(out.storage[k].bitPattern == fresh.storage[k].bitPattern) }
        }
        let rmse = Synthetic.rmse(out, freshTruth, fresh)
        #expect(rmse < 0.85, "RMSE on fresh rows \(rmse)")
    }

    @Test("a table with other columns is refused")
    func mismatch() throws {
        let (_, masked) = Self.table()
        let model = try MIRIImputer(configuration: Self.config).fit(masked)
        #expect(throws: ModelMismatch.columns(expected: 3, got: 2)) {
            try model.transform(Matrix([[1, .nan], [2, 3]]), seed: 1).imputed
        }
    }
}
