import Imputation
import Linalg
import ModelStore
import TestSupport
import Testing

/// Issue 24, defect H: the MICE model file of a wide table (version 3: each step lists its
/// nearest features), so its size grows as R · d · k², not R · d · (d − 1)².
@Suite struct MICEWideModelFileTests {
    @Test("H: the file of a wide model is version 3 and reads back to the same bytes and imputations; its size is R · d · O(k²)")
    func wideModelFile() throws {
        let data = WideTables.factorTable(rows: 6, cols: 150, seed: 7)
        let model = try MICEImputer().fit(data)
        let bytes = MICEModelFile.encode(model)
        #expect(bytes[8] == 3, "format version 3")
        let back = try MICEModelFile.decode(bytes, source: "wide.mice")
        #expect(MICEModelFile.encode(back) == bytes)
        #expect(back.nearestFeatures == 32)
        #expect(try back.transform(data).imputed.storage.map(\.bitPattern) == (try model.transform(data)).imputed.storage.map(\.bitPattern))
        // Per step: k features (4 bytes each), k weights, k means, k² covariance (8 bytes each), 37 bytes of fields.
        let perStep = 4 + 4 * 32 + 8 * (2 * 32 + 32 * 32) + 37
        #expect(bytes.count <= model.roundsRun * 150 * perStep + 8 * 150 * 4 + 4096)
    }

}
