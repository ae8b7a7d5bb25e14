import Flow
import Foundation
import Imputation
import Linalg
import ModelStore
import Testing

/// Version 2: the column kinds and categories in MIRI and MICE model files; version 1 still read.
@Suite struct SchemaFileTests {
    /// Encodes to 3 model columns: n (integer), c=u, c=v; id passed through.
    static let schema = FittedSchema(
        table: TableSchema(names: ["id", "n", "c"], kinds: [.passThrough, .integer, .categorical], categories: [[], [], ["u", "v"]],
                           oneHotScale: 0.75),
        roundIntegers: false)

    static func version(_ bytes: [UInt8]) -> UInt32 { bytes[8..<12].reversed().reduce(0) { $0 << 8 | UInt32($1) } }

    @Test("a MIRI model with kinds writes version 2 and reads back its schema; one of numbers stays version 1")
    func miriRoundTrip() throws {
        var model = try Fixture.model(names: Self.schema.table.encodedNames)
        #expect(Self.version(ModelFile.encode(model)) == 1)
        model.schema = Self.schema
        let bytes = ModelFile.encode(model)
        #expect(Self.version(bytes) == 2)
        let read = try ModelFile.decode(bytes, source: "m.miri")
        #expect(read.schema == Self.schema)
        #expect(ModelFile.encode(read) == bytes)
    }

    @Test("a MICE model with kinds writes version 2 and reads back its schema")
    func miceRoundTrip() throws {
        var (model, _) = try MICEImputer(configuration: MICEConfiguration(seed: 17)).fitAndImpute(Fixture.table())
        model.columnNames = Self.schema.table.encodedNames
        #expect(Self.version(MICEModelFile.encode(model)) == 1)
        model.schema = Self.schema
        let bytes = MICEModelFile.encode(model)
        #expect(Self.version(bytes) == 2)
        let read = try MICEModelFile.decode(bytes, source: "m.mice")
        #expect(read.schema == Self.schema)
        #expect(MICEModelFile.encode(read) == bytes)
    }

    @Test("damaged schemas are refused naming the field")
    func damaged() throws {
        var model = try Fixture.model(names: Self.schema.table.encodedNames)
        model.schema = Self.schema
        let bytes = ModelFile.encode(model)
        // The schema starts after the configuration and the names.
        let start = 32 + Int(bytes[20]) + Int(bytes[21]) << 8 + 4 + Self.schema.table.encodedNames.reduce(0) { $0 + 4 + $1.utf8.count }
        func field(_ patch: (inout [UInt8]) -> Void) -> String? {
            var b = bytes
            patch(&b)
            do { _ = try ModelFile.decode(Fixture.resealed(b), source: "m"); return nil } catch let error as ModelFileError {
                if case let .invalidField(field, _) = error.kind { return field }
                return "\(error.kind)"
            } catch { return "\(error)" }
        }
        #expect(field { $0[start] = 2 } == "round integers")
        #expect(field { $0[start + 1..<start + 5] = [0, 0, 0xC0, 0x7F] } == "one-hot scale")          // NaN
        // 2 source columns (id, n) encode to 1, not the model's 3
        #expect(field { $0[start + 5] = 2 } == "schema columns")
        let kind = start + 9 + 4 + 2                                                                   // after "id"
        #expect(field { $0[kind] = 9 } == "schema column 1 kind")
        #expect(field { $0[kind] = 2 } == "schema column 1 categories")                               // categorical with 0
        // A checkpoint is never version 2.
        var checkpoint = ModelFile.encode(try Fixture.model())
        checkpoint.replaceSubrange(0..<8, with: Array("MIRICKPT".utf8))
        Fixture.put(u32: 2, at: 8, in: &checkpoint)
        #expect(throws: ModelFileError.self) { _ = try CheckpointFile.decode(Fixture.resealed(checkpoint), source: "c") }
    }

    /// Files written by the version-1 encoder before kinds existed (the fuzz seed corpus).
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/corpus/model")

    @Test("version-1 files written before kinds existed still read, without a schema")
    func oldFilesRead() throws {
        for name in ["fast-2col.miri", "paper-1col.miri", "two-layers.miri"] {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            #expect(Self.version(bytes) == 1)
            let model = try ModelFile.decode(bytes, source: name)
            #expect(model.schema == nil)
            let imputed = try model.transform(Matrix(rows: 3, cols: model.columns, repeating: .nan))
            #expect(imputed.imputed.storage.allSatisfy { $0.isFinite }, "\(name)")
        }
        for name in ["round0.mirickpt", "round1.mirickpt"] {
            _ = try CheckpointFile.decode(try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name))), source: name)
        }
    }
}
