import Flow
import Foundation
import Imputation
import Linalg
import ModelStore
import Testing

@Suite("Model file: round trip")
struct ModelFileTests {
    @Test("a loaded model has the same fields and imputes bit for bit as the saved one")
    func roundTrip() throws {
        let model = try Fixture.model()
        let loaded = try ModelFile.decode(ModelFile.encode(model), source: "m.miri")
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.scaling == model.scaling)
        #expect(loaded.bounds == model.bounds)
        #expect(loaded.columnNames == model.columnNames)
        #expect(loaded.rounds == model.rounds)
        #expect(loaded.networks.count == model.networks.count)
        for (a, b) in zip(loaded.networks, model.networks) {
            #expect(a.widths == b.widths)
            #expect(a.parameters.array.map(\.bitPattern) == b.parameters.array.map(\.bitPattern))
        }
        let fresh = Fixture.table(rows: 40, seed: 99)
        let before = try model.transform(fresh, seed: 3).imputed, after = try loaded.transform(fresh, seed: 3).imputed
        #expect(before.storage.map(\.bitPattern) == after.storage.map(\.bitPattern))
    }

    @Test("a model whose networks widened with its table (50 columns: 256 wide) loads with those widths and imputes alike")
    func widenedRoundTrip() throws {
        var c = Fixture.configuration
        c.widensWithTable = true
        var random = RandomSource(seed: 8)
        var table = Matrix(rows: 30, cols: 50, storage: (0..<1500).map { _ in Float(random.normal()) })
        for i in 0..<30 { table[i, (7 * i) % 50] = .nan }
        let model = try MIRIImputer(configuration: c).fit(table)
        #expect(model.networks.allSatisfy { $0.widths == [151, 256, 50] })   // the fixture's one hidden layer of 8, widened
        let loaded = try ModelFile.decode(ModelFile.encode(model), source: "w.miri")
        #expect(loaded.configuration == c && loaded.networks.map(\.widths) == model.networks.map(\.widths))
        #expect(try loaded.transform(table, seed: 2).imputed.storage.map(\.bitPattern)
                == model.transform(table, seed: 2).imputed.storage.map(\.bitPattern))
    }

    @Test("encoding is deterministic: decode then encode gives the same bytes")
    func reencode() throws {
        let bytes = ModelFile.encode(try Fixture.model())
        #expect(ModelFile.encode(try ModelFile.decode(bytes, source: "m")) == bytes)
    }

    @Test("an unnamed model, a model without bounds, extreme configuration values")
    func variants() throws {
        var c = Fixture.configuration
        c.clampToObservedRange = false
        c.seed = .max
        c.learningRate = 0.000123456789
        c.stepsPerRound = 7
        var model = try MIRIImputer(configuration: c).fit(Fixture.table())
        model.columnNames = nil
        let loaded = try ModelFile.decode(ModelFile.encode(model), source: "m")
        #expect(loaded.configuration == c)
        #expect(loaded.bounds == nil && loaded.columnNames == nil)
    }

    @Test("the header holds magic, version 1, d, K, L and the file length; a CRC-32 trailer closes it")
    func header() throws {
        let model = try Fixture.model()
        let bytes = ModelFile.encode(model)
        #expect(Array(bytes[0..<8]) == Array("MIRIMODL".utf8))
        #expect(Fixture.u32(at: 8, in: bytes) == 1)
        #expect(Fixture.u32(at: 12, in: bytes) == 3)
        #expect(Fixture.u32(at: 16, in: bytes) == 2)
        let json = try JSONDecoder().decode(MIRIConfiguration.self,
                                            from: Data(bytes[32..<(32 + Int(Fixture.u32(at: 20, in: bytes)))]))
        #expect(json == model.configuration)
        #expect(Int(Fixture.u32(at: 24, in: bytes)) == bytes.count && Fixture.u32(at: 28, in: bytes) == 0)
        #expect(Fixture.u32(at: bytes.count - 4, in: bytes) == CRC32.checksum(bytes[0..<(bytes.count - 4)]))
        // Round 1: widths [3d+1, 8, d] right after the bounds, then its weights as binary32.
        let layout = ModelLayout(bytes: bytes)
        let first = layout.firstNetwork
        #expect(Fixture.u32(at: first, in: bytes) == 3)
        #expect([4, 8, 12].map { Fixture.u32(at: first + $0, in: bytes) } == [10, 8, 3])
        #expect(Fixture.u32(at: first + 24, in: bytes) == model.networks[0].parameters[0].bitPattern)
    }

    @Test("write is atomic and read names the file in errors")
    func files() throws {
        let folder = try Fixture.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/m.miri"
        let model = try Fixture.model()
        try ModelFile.write(model, to: path)
        try ModelFile.write(model, to: path)          // replaces in place
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["m.miri"])
        #expect(try ModelFile.read(path: path).columnNames == model.columnNames)
        #expect(throws: ModelFileError(.unreadable(reason: "No such file or directory"), source: folder + "/none.miri")) {
            try ModelFile.read(path: folder + "/none.miri")
        }
        #expect(throws: ModelFileError(.unreadable(reason: "it is a directory"), source: folder)) {
            try ModelFile.read(path: folder)
        }
    }
}
