import Evaluation
import Imputation
import Linalg
import TestSupport
import Testing

/// The four masks against `../shared/reference/masks.py`: the digests and rates quoted in
/// BENCHMARK.md (wine), and more computed with masks.py for this test (yacht, solar).
@Suite("Missingness mechanisms (BENCHMARK.md, masks.py)")
struct MissingnessMechanismTests {
    struct Reference: Sendable, CustomStringConvertible {
        var table: String
        var mechanism: MissingnessMechanism
        var seed: UInt64
        var rate: Double
        var realized: Double      // masks.py's "missing 0.xxxx", 4 decimals
        var digest: String        // masks.py's "sha256/16"
        var description: String { "\(table) \(mechanism.rawValue) seed \(seed) rate \(rate)" }
    }

    static let references: [Reference] = [
        // BENCHMARK.md, "Masks under MAR and MNAR".
        Reference(table: "wine.csv", mechanism: .mcar, seed: 1, rate: 0.4, realized: 0.4080, digest: "b9ff4cf7a892624d"),
        Reference(table: "wine.csv", mechanism: .mar, seed: 1, rate: 0.4, realized: 0.3004, digest: "0845cd99adc5d176"),
        Reference(table: "wine.csv", mechanism: .mnar, seed: 1, rate: 0.4, realized: 0.4103, digest: "975810c0e136371b"),
        Reference(table: "wine.csv", mechanism: .mnarSelf, seed: 1, rate: 0.4, realized: 0.4092, digest: "c23eb7a931d90aec"),
        // `python3 masks.py yacht.csv MECH 2 0.3` (d = 6: one input column).
        Reference(table: "yacht.csv", mechanism: .mcar, seed: 2, rate: 0.3, realized: 0.2965, digest: "81639cf3c19d0f69"),
        Reference(table: "yacht.csv", mechanism: .mar, seed: 2, rate: 0.3, realized: 0.2576, digest: "b10faffba6e945a2"),
        Reference(table: "yacht.csv", mechanism: .mnar, seed: 2, rate: 0.3, realized: 0.3095, digest: "64e58bf7d4ceff90"),
        Reference(table: "yacht.csv", mechanism: .mnarSelf, seed: 2, rate: 0.3, realized: 0.2982, digest: "d534b09eadcda454"),
        // `python3 masks.py solar.csv MECH 3 0.4` (a constant column: std 0 → 1, all scores 0).
        Reference(table: "solar.csv", mechanism: .mcar, seed: 3, rate: 0.4, realized: 0.4045, digest: "5086d1a231c2c352"),
        Reference(table: "solar.csv", mechanism: .mar, seed: 3, rate: 0.4, realized: 0.2823, digest: "e15228b7e563b6c0"),
        Reference(table: "solar.csv", mechanism: .mnar, seed: 3, rate: 0.4, realized: 0.4003, digest: "c7f966711e8f11c7"),
        Reference(table: "solar.csv", mechanism: .mnarSelf, seed: 3, rate: 0.4, realized: 0.4023, digest: "ef2bb7a405a8d89b"),
    ]

    static func load(_ name: String) throws -> (values: [Double], rows: Int, cols: Int) {
        try SharedDatasets.requireDoubles(name)
    }

    @Test("Same mask as masks.py: digest and realized rate", arguments: references)
    func matchesReference(_ r: Reference) throws {
        let table = try Self.load(r.table)
        let observed = r.mechanism.observed(complete: table.values, rows: table.rows, cols: table.cols, rate: r.rate, seed: r.seed)
        #expect(observed.rows == table.rows && observed.cols == table.cols)
        #expect(MaskDigest.digest(observed: observed) == r.digest)
        let missing = observed.storage.filter { $0 == 0 }.count
        #expect(abs(Double(missing) / Double(observed.count) - r.realized) <= 0.00005, "\(missing) of \(observed.count)")
    }

    @Test("Wine, seed 1: MAR keeps its three input columns whole; MNAR masks every column")
    func inputColumns() throws {
        let wine = try Self.load("wine.csv")
        func missingPerColumn(_ m: MissingnessMechanism) -> [Int] {
            let observed = m.observed(complete: wine.values, rows: wine.rows, cols: wine.cols, rate: 0.4, seed: 1)
            return (0..<wine.cols).map { j in (0..<wine.rows).filter { observed[$0, j] == 0 }.count }
        }
        // masks.py: mar's mask.sum(0) = [639 667 668 677 0 633 664 649 0 686 0]: d_in = ⌊0.3·11⌋ = 3 inputs.
        #expect(missingPerColumn(.mar) == [639, 667, 668, 677, 0, 633, 664, 649, 0, 686, 0])
        // mnar: the targets' counts are mar's (same draws), the inputs get the second pass.
        #expect(missingPerColumn(.mnar) == [639, 667, 668, 677, 653, 633, 664, 649, 629, 686, 651])
    }

    @Test("mnar-self hides the large values: wine seed 1 hidden mean +0.46, observed −0.32 (BENCHMARK.md)")
    func selfMaskingHidesLargeValues() throws {
        let wine = try Self.load("wine.csv")
        let observed = MissingnessMechanism.mnarSelf.observed(complete: wine.values, rows: wine.rows, cols: wine.cols,
                                                              rate: 0.4, seed: 1)
        // Standardize as the protocol does (written out here, in plain loops).
        var hidden = 0.0, hiddenCount = 0.0, seen = 0.0, seenCount = 0.0
        for j in 0..<wine.cols {
            let column = (0..<wine.rows).map { wine.values[$0 * wine.cols + j] }
            let mean = column.reduce(0, +) / Double(wine.rows)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(wine.rows)).squareRoot()
            for i in 0..<wine.rows {
                let z = (column[i] - mean) / (sd > 0 ? sd : 1)
                if observed[i, j] == 0 { hidden += z; hiddenCount += 1 } else { seen += z; seenCount += 1 }
            }
        }
        #expect(abs(hidden / hiddenCount - 0.4647) < 0.0005)     // masks.py: 0.46471
        #expect(abs(seen / seenCount + 0.3219) < 0.0005)         // masks.py: −0.32191
    }

    @Test("mcar is MCARMask and ignores the values")
    func mcarIsTheExistingMask() {
        let values = (0..<60).map { Double($0 * $0) }
        let observed = MissingnessMechanism.mcar.observed(complete: values, rows: 12, cols: 5, rate: 0.4, seed: 9)
        #expect(observed == MCARMask.mask(rows: 12, cols: 5, rate: 0.4, seed: 9))
        let zeros = [Double](repeating: 0, count: 60)
        #expect(MissingnessMechanism.mcar.observed(complete: zeros, rows: 12, cols: 5, rate: 0.4, seed: 9) == observed)
    }

    @Test("CLI names: mcar, mar, mnar, mnar-self")
    func rawValues() {
        #expect(MissingnessMechanism.allCases.map(\.rawValue) == ["mcar", "mar", "mnar", "mnar-self"])
        #expect(MissingnessMechanism(rawValue: "mnar-self") == .mnarSelf)
    }

    @Test("SplitMix64 normals: two uniforms each, nothing cached (values from masks.py)")
    func normals() {
        var one = SplitMix64(seed: 1)
        #expect(abs(one.nextNormal() - -0.034267321791851144) < 1e-15)
        #expect(abs(one.nextNormal() - -2.5000674933698677) < 1e-15)
        // Exactly two uniforms per normal: after one normal, the stream is at its third uniform.
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        #expect(abs(a.nextNormal() - 0.9884743323187353) < 1e-15)
        _ = b.nextUniform(); _ = b.nextUniform()
        #expect(a.nextUniform() == b.nextUniform())
    }

    @Test("SHA-256 check values (FIPS 180-4 examples)")
    func sha256() {
        #expect(MaskDigest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MaskDigest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // 56 bytes: the padding needs a second block.
        #expect(MaskDigest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(MaskDigest.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("packbits: eight entries a byte, first entry in the high bit, zero padding")
    func packBits() {
        // 2 × 5 mask, missing at entries 0, 7 and 8 (row-major):
        // entries 0–7 → 1000_0001 = 0x81; entries 8, 9 → 10 + six padding zeros = 0x80.
        var observed = Matrix(rows: 2, cols: 5, repeating: 1)
        for k in [0, 7, 8] { observed.storage[k] = 0 }
        #expect(MaskDigest.packBits(observed) == [0x81, 0x80])
        // numpy: hashlib.sha256(bytes([0x81, 0x80])).hexdigest()[:16]
        #expect(MaskDigest.digest(observed: observed) == String(MaskDigest.hex([0x81, 0x80]).prefix(16)))
    }
}
