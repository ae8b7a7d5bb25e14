import TestSupport
import Flow
import Foundation
import Imputation
import ModelStore
import Testing

/// Model settings out of bounds (issue 14, defect 6): a model file holding them is refused by
/// `apply` with status 2, and `fit` or a checkpointed run refuses to make one (status 64).
@Suite struct ModelBoundsTests {
    static let table = "a,b\n1,2\n,3\n4,\n5,6\n"

    @Test("apply with a model whose beta1 is -1, epsilon -1 or learning rate 2^63: status 2 naming the field, nothing written",
          arguments: ["beta1", "epsilon", "learningRate"])
    func applyRefusesTheModel(field: String) throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", Self.table)
        let path = scratch.file("m.miri").path
        #expect(try Tool.run(["fit", input, "--model", path, "--quiet"] + Tool.tinyMIRI).status == 0)
        var model = try ModelFile.read(path: path)
        switch field {
        case "beta1": model.configuration.beta1 = -1
        case "epsilon": model.configuration.epsilon = -1
        default: model.configuration.learningRate = 0x1p63
        }
        try ModelFile.write(model, to: path)
        let run = try Tool.run(["apply", path, input, "-o", scratch.file("out.csv").path, "--threads", "1", "--quiet"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("miri: error: \(path): configuration: \(field) "), "\(run.stderr)")
        #expect(try scratch.listing() == ["m.miri", "t.csv"])
    }

    @Test("fit, and impute with --checkpoint, refuse settings a file may not hold: status 64 before training",
          arguments: [["fit", "--model", "m.miri"], ["impute", "-o", "out.csv", "--checkpoint", "ckpt"]])
    func fitRefusesTheSettings(command: [String]) throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", Self.table)
        let run = try Tool.run([command[0], input] + command.dropFirst() + Tool.tinyMIRI + ["--steps", "10001"], in: scratch.url)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr == "miri: error: these MIRI settings cannot be saved in a model or checkpoint file: "
                + "odeSteps 10001 is more than the 10000 allowed\n")
        #expect(try scratch.listing() == ["t.csv"])
    }
}
