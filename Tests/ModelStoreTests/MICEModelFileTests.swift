import Foundation
import Imputation
import Linalg
import ModelStore
import Testing

/// The MICE model file (docs/model-format.md, "MICE model files"): an exact round trip, and
/// damage caught with an error naming the file and field, never a trap.
@Suite("MICE model file")
struct MICEModelFileTests {
    static let fitted: (model: FittedMICE, imputed: Matrix) = {
        var (model, imputed) = try! MICEImputer(configuration: MICEConfiguration(seed: 17)).fitAndImpute(Fixture.table())
        model.columnNames = ["alpha", "beta, quoted", "γ"]
        return (model, imputed)
    }()
    static let bytes = MICEModelFile.encode(fitted.model)

    func failure(_ bytes: [UInt8]) -> ModelFileError.Kind? {
        do { _ = try MICEModelFile.decode(bytes, source: "m.mice"); return nil } catch let error as ModelFileError { return error.kind } catch { return nil }
    }

    /// Byte offset of round 1's first step: header 32, configuration L, names, converged, means, order.
    static var firstStep: Int {
        let l = Int(Fixture.u32(at: 20, in: bytes))
        let names = ["alpha", "beta, quoted", "γ"].reduce(4) { $0 + 4 + $1.utf8.count }
        return 32 + l + names + 1 + 3 * 8 + 4 + 3 * 4
    }

    @Test("Saved and loaded: the same fields, the same imputations and draws, bit for bit")
    func roundTrip() throws {
        let folder = try Fixture.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/m.mice"
        try MICEModelFile.write(Self.fitted.model, to: path)
        let loaded = try MICEModelFile.read(path: path)
        #expect(loaded.columnNames == ["alpha", "beta, quoted", "γ"])
        #expect(loaded.configuration == MICEConfiguration(seed: 17))
        #expect(loaded.roundsRun == Self.fitted.model.roundsRun && loaded.converged == Self.fitted.model.converged)
        #expect(loaded.columns == 3 && loaded.defaultSeed == 17)
        let data = Fixture.table()
        #expect(try loaded.transform(data).imputed == Self.fitted.imputed)
        var a = RandomSource(seed: 2), b = RandomSource(seed: 2)
        #expect(try loaded.draw(data, random: &a) == Self.fitted.model.draw(data, random: &b))
        // Either kind is read by its magic.
        #expect(try FittedModelFile.read(path: path).summary == "mice: \(Self.fitted.model.roundsRun) rounds")
    }

    @Test("A MICE file read as a MIRI model, and a MIRI model read as a MICE file, name the kinds")
    func wrongKind() throws {
        do {
            _ = try ModelFile.decode(Self.bytes, source: "m.mice")
            Issue.record("decoded")
        } catch let error as ModelFileError {
            #expect(error.kind == .wrongKind(found: "MICE model", expected: "model"))
            #expect(error.description == "m.mice: this is a MIRI MICE model file, not a model file")
        }
        #expect(failure(ModelFile.encode(try Fixture.model())) == .wrongKind(found: "model", expected: "MICE model"))
    }

    @Test("Truncated at every length, any flipped bit, extra bytes: each caught, nothing traps")
    func damage() {
        for length in stride(from: 0, to: Self.bytes.count, by: 7) { #expect(failure(Array(Self.bytes.prefix(length))) != nil) }
        for offset in stride(from: 0, to: Self.bytes.count, by: 13) {
            var b = Self.bytes
            b[offset] ^= 0x10
            #expect(failure(b) != nil, "bit flip at \(offset)")
        }
        #expect(failure(Self.bytes + [0]) == .trailingBytes(expected: Self.bytes.count, actual: Self.bytes.count + 1))
    }

    @Test("Impossible fields behind an intact checksum: rounds, order, precisions, non-finite values")
    func fields() {
        func field(_ edit: (inout [UInt8]) -> Void) -> String? {
            var b = Self.bytes
            edit(&b)
            if case let .invalidField(field, _) = failure(Fixture.resealed(b)) { return field }
            return nil
        }
        #expect(field { Fixture.put(u32: 11, at: 16, in: &$0) } == "rounds")           // more rounds than the configuration's 10
        #expect(field { Fixture.put(u32: 0, at: 16, in: &$0) } == "rounds")
        let order = Self.firstStep - 12
        #expect(field { Fixture.put(u32: 1, at: order, in: &$0); Fixture.put(u32: 1, at: order + 4, in: &$0) } == "order")
        #expect(field { Fixture.put(u32: 3, at: order, in: &$0) } == "order")
        let step = Self.firstStep
        let column = Int(Fixture.u32(at: order, in: Self.bytes)) + 1
        #expect(field { Fixture.put(u64: (-1.0).bitPattern, at: step + 4, in: &$0) } == "round 1 column \(column)")   // α < 0
        #expect(field { Fixture.put(u64: Double.nan.bitPattern, at: step + 28, in: &$0) } == "round 1 column \(column)")
        #expect(field { $0[Self.firstStep - 12 - 4 - 3 * 8 - 1] = 2 } == "converged")
    }
}
