import TestSupport
import Flow
import Foundation
import Imputation
import ModelStore
import Testing

/// Imputations beyond Float's range: status 3 with a message, nothing written, nothing left
/// behind (issue 14, defect 1: the CSV writer trapped with status 132, and `apply` left its
/// hidden temporary file).
@Suite struct OverflowTests {
    /// The table: values near ±Float.max, so a draw a little beyond the observed range
    /// overflows on the way back from MIRI's standardized scale.
    static let extreme = "a\n3.3e38\n-3.3e38\n\n3.3e38\n-3.3e38\n\n"

    @Test("impute on a table near Float.max with the paper preset: status 3 (or a valid table), never a crash",
          arguments: ["1", "3"])
    func imputeNearFloatMax(seed: String) throws {
        let scratch = try Scratch()
        let input = try scratch.write("c.csv", Self.extreme)
        let run = try Tool.run(["impute", input, "-o", scratch.file("o.csv").path, "--preset", "paper", "--rounds", "1",
                                "--epochs", "1", "--hidden", "4", "--threads", "1", "--seed", seed, "--quiet"])
        if run.status == 0 {
            // A later MIRI may stay in range: then the table must read back finite.
            #expect(csvRows(try scratch.read("o.csv")).dropFirst().allSatisfy { Float($0[0])?.isFinite == true })
        } else {
            #expect(run.status == 3, "\(run.stderr)")
            #expect(run.stderr.hasPrefix("miri: error: \(input): line "), "\(run.stderr)")
            #expect(run.stderr.contains("beyond the range of a 32-bit float"), "\(run.stderr)")
            #expect(try scratch.listing() == ["c.csv"])
        }
    }

    /// A model fitted by `miri fit`, then changed so that every imputation of column a lands
    /// near 20 · 3e38: scale 3e38 (finite and positive, so a valid file), no clamping, and a
    /// last-layer bias of 20 with zero weights (the flow adds 20 to every missing value).
    static func overflowingModel(_ scratch: Scratch, training: String) throws -> String {
        let path = scratch.file("m.miri").path
        let fit = try Tool.run(["fit", training, "--model", path, "--quiet"] + Tool.tinyMIRI)
        #expect(fit.status == 0, "\(fit.stderr)")
        var model = try ModelFile.read(path: path)
        model.scaling.stds[0] = 3e38
        model.configuration.clampToObservedRange = false
        model.bounds = nil
        for network in model.networks {
            let last = network.layers.last!
            for i in 0..<network.parameterCount { network.parameters.pointer[i] = i >= last.biasOffset ? 20 : 0 }
        }
        try ModelFile.write(model, to: path)
        return path
    }

    @Test("apply with a model whose scale is 3e38: status 3 naming the cell; an existing output untouched, no temporary file")
    func applyWithHugeScale() throws {
        let scratch = try Scratch()
        let training = try scratch.write("t.csv", "a,b\n1,2\n,3\n4,\n5,6\n")
        let model = try Self.overflowingModel(scratch, training: training)
        // 3,000 rows in batches of 1,024: only the third batch has a missing cell, so two
        // batches are already written to the temporary file when the overflow comes.
        let rows = (0..<3000).map { $0 == 2500 ? ",1" : "1,1" }
        let input = try scratch.write("new.csv", "a,b\n" + rows.joined(separator: "\n") + "\n")
        let output = try scratch.write("out.csv", "keep\n")
        let run = try Tool.run(["apply", model, input, "-o", output, "--batch-rows", "1024", "--threads", "1", "--quiet"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr == "miri: error: \(input): line 2502, column 1 (\"a\"): the imputed value is beyond the range of a "
                + "32-bit float (about ±3.4e38) on the table's scale, so MIRI diverged. Lower the learning rate (e.g. --lr 0.001), "
                + "or use the 'calibrated' (default) or 'fast' preset, which keeps imputations within each column's observed range.\n")
        #expect(try scratch.read("out.csv") == "keep\n")
        #expect(try scratch.listing() == ["m.miri", "new.csv", "out.csv", "t.csv"])
    }

    @Test("apply --draws and --average with that model: status 3, no draw file, no temporary file")
    func applyDrawsWithHugeScale() throws {
        let scratch = try Scratch()
        let training = try scratch.write("t.csv", "a,b\n1,2\n,3\n4,\n5,6\n")
        let model = try Self.overflowingModel(scratch, training: training)
        for extra in [["--draws", "3"], ["--draws", "3", "--average"]] {
            let run = try Tool.run(["apply", model, training, "-o", scratch.file("out.csv").path, "--threads", "1", "--quiet"] + extra)
            #expect(run.status == 3, "\(extra): \(run.stderr)")
            #expect(try scratch.listing() == ["m.miri", "t.csv"], "\(extra)")
        }
    }
}
