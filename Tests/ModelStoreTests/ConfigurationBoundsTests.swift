import Flow
import Foundation
import Imputation
import ModelStore
import Testing

/// A configuration that validates but cannot be meant (ODE steps 2³¹, β₁ = −1, ε = −1, a
/// learning rate of 2⁶³, widths or rows beyond any memory) is a damaged file: refused with an
/// error naming the field, before anything is allocated or run (issue 14, defect 6: apply ran
/// without end on odeSteps = 2³¹).
@Suite("Model file: configuration bounds")
struct ConfigurationBoundsTests {
    struct Case: Sendable, CustomStringConvertible {
        var field: String
        var change: @Sendable (inout MIRIConfiguration) -> Void
        var description: String { field }
    }

    /// Each changes one field past its bound; `field` is the name the error must give.
    static let cases: [Case] = [
        Case(field: "odeSteps") { $0.odeSteps = 1 << 31 },
        Case(field: "odeSteps") { $0.odeSteps = 10_001 },
        Case(field: "rounds") { $0.rounds = 1 << 40 },
        Case(field: "epochs") { $0.epochs = 1 << 40 },
        Case(field: "stepsPerRound") { $0.stepsPerRound = 1 << 40 },
        Case(field: "batchSize") { $0.batchSize = 1 << 40 },
        Case(field: "odeBlockRows") { $0.odeBlockRows = 1 << 40 },
        Case(field: "hiddenWidths") { $0.hiddenWidths = [1 << 20] },
        Case(field: "hiddenWidths") { $0.hiddenWidths = Array(repeating: 8, count: 65) },
        Case(field: "hiddenWidths") { $0.hiddenWidths = [40_000, 40_000] },   // 1.6e9 parameters
        Case(field: "learningRate") { $0.learningRate = 0x1p63 },
        Case(field: "beta1") { $0.beta1 = -1 },
        Case(field: "beta1") { $0.beta1 = 1 },
        Case(field: "beta2") { $0.beta2 = 1.5 },
        Case(field: "epsilon") { $0.epsilon = -1 },
        Case(field: "epsilon") { $0.epsilon = 0 },
        Case(field: "odeBlockRows") { $0.odeBlockRows = 60_000; $0.hiddenWidths = [60_000] },   // a 14 GB ODE block
    ]

    /// The reason of an `invalidField("configuration", …)` error, or a note of what happened instead.
    func configurationError(_ decode: () throws -> Void) -> String {
        do {
            try decode()
            return "decoded"
        } catch let error as ModelFileError {
            guard case let .invalidField("configuration", reason) = error.kind else { return "other error: \(error)" }
            return reason
        } catch {
            return "other error: \(error)"
        }
    }

    @Test("a checkpoint of round 0 with the field out of bounds is refused", arguments: cases)
    func checkpoint(_ c: Case) throws {
        var state = try CheckpointFileTests.states()[0]
        c.change(&state.configuration)
        let bytes = CheckpointFile.encode(Checkpoint(state: state, columnNames: nil, threads: 1))
        let reason = configurationError { _ = try CheckpointFile.decode(bytes, source: "c") }
        #expect(reason.hasPrefix("\(c.field) "), "\(reason)")
    }

    @Test("a model with the field out of bounds is refused", arguments: cases.filter { !["rounds", "hiddenWidths"].contains($0.field) })
    func model(_ c: Case) throws {
        var model = try Fixture.model()
        c.change(&model.configuration)
        let bytes = ModelFile.encode(model)
        let reason = configurationError { _ = try ModelFile.decode(bytes, source: "m.miri") }
        #expect(reason.hasPrefix("\(c.field) "), "\(reason)")
    }

    @Test("on a very wide table the refusal names the widened layers, which exceed the limit, not the setting")
    func widenedNetworkNamed() throws {
        var c = MIRIConfiguration.paper
        c.widensWithTable = true
        c.hiddenWidths = [128, 128]
        // 70,000 columns: each layer widened to 1,024, and 210,001 × 1,024 weights alone exceed 2²⁸.
        let reason = try #require(ConfigurationLimits.violation(in: c, columns: 70_000))
        #expect(reason == "hiddenWidths [1024, 1024] (widened with the table from [128, 128]) on 70000 columns make a network of more than \(ConfigurationLimits.parameters) parameters")
        // [128, 128] on its own would fit: the message must not blame it.
        c.widensWithTable = false
        #expect(ConfigurationLimits.violation(in: c, columns: 70_000) == nil)
    }

    @Test("the presets and the bounds themselves are accepted")
    func presetsAccepted() {
        var widest = MIRIConfiguration.paper
        widest.odeSteps = ConfigurationLimits.odeSteps
        widest.rounds = ConfigurationLimits.rounds
        widest.beta1 = 0; widest.beta2 = 0.99999
        for c in [MIRIConfiguration.paper, .fast, widest] {
            #expect(ConfigurationLimits.violation(in: c, columns: 34) == nil, "\(c)")
        }
    }

    @Test("a model whose rounds need more networks than the file holds names that, before reading them")
    func roundsBeyondTheFile() throws {
        var bytes = ModelFile.encode(try Fixture.model())
        // The header says 900 networks and the configuration 900 rounds; the file holds 2.
        let layout = ModelLayout(bytes: bytes)
        var json = String(decoding: bytes[32..<(32 + layout.configurationLength)], as: UTF8.self)
        json = json.replacingOccurrences(of: "\"rounds\":2", with: "\"rounds\":900")
        bytes.replaceSubrange(32..<(32 + layout.configurationLength), with: Array(json.utf8))
        Fixture.put(u32: UInt32(json.utf8.count), at: 20, in: &bytes)
        Fixture.put(u32: 900, at: 16, in: &bytes)
        Fixture.put(u64: UInt64(bytes.count), at: 24, in: &bytes)
        do {
            _ = try ModelFile.decode(Fixture.resealed(bytes), source: "m.miri")
            Issue.record("decoded")
        } catch let error as ModelFileError {
            #expect(error.description.hasPrefix("m.miri: networks: 900 networks of "), "\(error)")
            #expect(error.description.contains("bytes each do not fit in the "), "\(error)")
        }
    }
}
