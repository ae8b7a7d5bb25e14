import Flow
import Foundation
import Imputation
import Linalg
import ModelStore
import Testing

@Suite("Checkpoint file")
struct CheckpointFileTests {
    /// The states a fit reports: round 0 (noise fill) and after each round.
    static func states() throws -> [MIRIRunState] {
        var states: [MIRIRunState] = []
        _ = try MIRIImputer(configuration: Fixture.configuration).fitAndImpute(Fixture.table()) { states.append($0) }
        return states
    }

    @Test("every state round-trips exactly: table bits, generator, networks")
    func roundTrip() throws {
        let states = try Self.states()
        #expect(states.map(\.completedRounds) == [0, 1, 2])
        for state in states {
            let saved = Checkpoint(state: state, columnNames: ["a", "b", "c"], threads: 2)
            let loaded = try CheckpointFile.decode(CheckpointFile.encode(saved), source: "c")
            #expect(loaded.threads == 2 && loaded.columnNames == ["a", "b", "c"])
            let s = loaded.state
            #expect(s.configuration == state.configuration && s.scaling == state.scaling && s.bounds == state.bounds)
            #expect(s.inputFingerprint == state.inputFingerprint)
            #expect(s.x.storage.map(\.bitPattern) == state.x.storage.map(\.bitPattern))
            #expect(s.random == state.random)
            #expect(s.rounds == state.rounds)
            #expect(zip(s.networks, state.networks).allSatisfy { $0.parameters.array == $1.parameters.array })
        }
    }

    @Test("a run resumed from a loaded checkpoint ends exactly as the uninterrupted run")
    func resumeFromFile() throws {
        let table = Fixture.table()
        let imputer = MIRIImputer(configuration: Fixture.configuration)
        let whole = try imputer.fitAndImpute(table)
        for state in try Self.states().dropLast() {
            let bytes = CheckpointFile.encode(Checkpoint(state: state, columnNames: nil, threads: 1))
            let loaded = try CheckpointFile.decode(bytes, source: "c").state
            let resumed = try imputer.fitAndImpute(table, resumingFrom: loaded)
            #expect(resumed.imputed.storage.map(\.bitPattern) == whole.imputed.storage.map(\.bitPattern),
                    "resumed after round \(state.completedRounds)")
            #expect(zip(resumed.model.networks, whole.model.networks).allSatisfy { $0.parameters.array == $1.parameters.array })
        }
    }

    @Test("resuming with other settings or another table is refused, naming what differs")
    func mismatch() throws {
        let state = try Self.states()[1]
        var other = Fixture.configuration
        other.odeSteps = 4
        #expect(throws: ResumeMismatch.configuration(["odeSteps: 3 in the checkpoint, 4 now"])) {
            _ = try MIRIImputer(configuration: other).fitAndImpute(Fixture.table(), resumingFrom: state)
        }
        #expect(throws: ResumeMismatch.table) {
            _ = try MIRIImputer(configuration: Fixture.configuration).fitAndImpute(Fixture.table(seed: 8), resumingFrom: state)
        }
        #expect(throws: ResumeMismatch.shape(saved: (60, 3), given: (61, 3))) {
            _ = try MIRIImputer(configuration: Fixture.configuration).fitAndImpute(Fixture.table(rows: 61), resumingFrom: state)
        }
    }

    @Test("a checkpoint is not a model and a model is not a checkpoint; damage is caught")
    func kinds() throws {
        let bytes = CheckpointFile.encode(Checkpoint(state: try Self.states()[1], columnNames: nil, threads: 1))
        #expect(Array(bytes[0..<8]) == Array("MIRICKPT".utf8))
        #expect(throws: ModelFileError(.wrongKind(found: "checkpoint", expected: "model"), source: "c")) {
            _ = try ModelFile.decode(bytes, source: "c")
        }
        #expect(throws: ModelFileError(.wrongKind(found: "model", expected: "checkpoint"), source: "m")) {
            _ = try CheckpointFile.decode(ModelFile.encode(try Fixture.model()), source: "m")
        }
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: ModelFileError.self) { _ = try CheckpointFile.decode(Array(bytes[0..<length]), source: "c") }
        }
        var k = bytes
        Fixture.put(u32: 3, at: 16, in: &k)                           // 3 rounds completed of 2
        #expect(throws: ModelFileError.self) { _ = try CheckpointFile.decode(Fixture.resealed(k), source: "c") }
    }

    @Test("save and load through a folder")
    func folder() throws {
        let folder = try Fixture.folder() + "/nested/ckpt"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try CheckpointFile.load(fromFolder: folder) == nil)
        let state = try Self.states()[2]
        try CheckpointFile.save(Checkpoint(state: state, columnNames: nil, threads: 1), inFolder: folder)
        try CheckpointFile.save(Checkpoint(state: state, columnNames: nil, threads: 1), inFolder: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [CheckpointFile.fileName])
        #expect(try CheckpointFile.load(fromFolder: folder)?.state.completedRounds == 2)
    }
}
