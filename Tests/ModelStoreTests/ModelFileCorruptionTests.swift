import Foundation
import Imputation
import ModelStore
import Testing

/// Every kind of damaged model file fails with its own clear error and never traps.
///
/// Header fields are checked in the order magic, version, length, checksum, then the body, so a
/// test that plants a bad value *behind* the checksum reseals the file (recomputes the CRC-32)
/// to reach the field check it is aimed at.
@Suite("Model file: damaged files")
struct ModelFileCorruptionTests {
    static let bytes: [UInt8] = ModelFile.encode(try! Fixture.model())

    func decode(_ bytes: [UInt8]) throws { _ = try ModelFile.decode(bytes, source: "m.miri") }

    /// The error's kind, or nil if decoding succeeded.
    func failure(_ bytes: [UInt8]) -> ModelFileError.Kind? {
        do { try decode(bytes); return nil } catch let error as ModelFileError { return error.kind } catch { return nil }
    }

    func fieldError(_ bytes: [UInt8]) -> String? {
        if case let .invalidField(field, _) = failure(bytes) { return field }
        return nil
    }

    // MARK: magic (offset 0)

    @Test func wrongMagic() {
        var b = Self.bytes
        b[0] = UInt8(ascii: "X")
        #expect(failure(b) == .notAMIRIFile(prefix: Array("XIRIMODL".utf8), expected: "model"))
        let csv = Array("a,b\n1,2\n".utf8)
        #expect(failure(csv) == .notAMIRIFile(prefix: csv, expected: "model"))
        let message = ModelFileError(.notAMIRIFile(prefix: csv, expected: "model"), source: "m.miri").description
        #expect(message == #"m.miri: not a MIRI model file (it starts with "a,b\n1,2\n", not "MIRIMODL")"#)
        #expect(failure([]) == .notAMIRIFile(prefix: [], expected: "model"))
    }

    @Test func checkpointMagicIsTheWrongKind() {
        var b = Self.bytes
        b.replaceSubrange(0..<8, with: Array("MIRICKPT".utf8))
        #expect(failure(b) == .wrongKind(found: "checkpoint", expected: "model"))
    }

    // MARK: version (offset 8)

    @Test func wrongVersion() {
        var b = Self.bytes
        Fixture.put(u32: 4, at: 8, in: &b)
        #expect(failure(b) == .unsupportedVersion(found: 4, supported: 3))
        #expect(ModelFileError(.unsupportedVersion(found: 4, supported: 3), source: "m.miri").description
                == "m.miri: format version 4; this miri reads versions 1 to 3 (a newer miri wrote it)")
        Fixture.put(u32: 0, at: 8, in: &b)
        #expect(failure(b) == .unsupportedVersion(found: 0, supported: 3))
    }

    // MARK: columns (offset 12)

    @Test func wrongColumns() {
        var b = Self.bytes
        Fixture.put(u32: 4, at: 12, in: &b)
        #expect(failure(b) == .checksumMismatch(stored: Fixture.u32(at: b.count - 4, in: b),
                                                computed: CRC32.checksum(b[0..<(b.count - 4)])))
        #expect(fieldError(Fixture.resealed(b)) == "column names count")     // 3 names for 4 columns
        Fixture.put(u32: 0, at: 12, in: &b)
        #expect(fieldError(Fixture.resealed(b)) == "columns")
    }

    // MARK: networks (offset 16)

    @Test func wrongNetworkCount() {
        for k: UInt32 in [0, 1, 3, .max] {
            var b = Self.bytes
            Fixture.put(u32: k, at: 16, in: &b)
            #expect(fieldError(Fixture.resealed(b)) == "networks", "K = \(k)")
        }
    }

    // MARK: configuration length (offset 20) and the configuration itself

    @Test func wrongConfigurationLength() {
        for delta in [-1, 1] {
            var b = Self.bytes
            Fixture.put(u32: UInt32(Int(Fixture.u32(at: 20, in: b)) + delta), at: 20, in: &b)
            #expect(fieldError(Fixture.resealed(b)) == "configuration", "L \(delta)")
        }
        var b = Self.bytes
        Fixture.put(u32: .max, at: 20, in: &b)
        #expect(fieldError(Fixture.resealed(b)) == "configuration")
    }

    @Test func configurationThatIsNotJSON() {
        var b = Self.bytes
        b[32] = UInt8(ascii: "[")
        guard case let .invalidField(field, reason) = failure(Fixture.resealed(b)) else { Issue.record("decoded"); return }
        #expect(field == "configuration" && reason.contains("not a MIRI configuration"), "\(reason)")
    }

    @Test("a setting beyond a Float's range is named with its range, not called malformed JSON", arguments: [
        ("observedPartnerWeight", 1e39, "32-bit float"), ("beta1", -1e300, "32-bit float"), ("rounds", 1e30, "64-bit integer"),
    ])
    func configurationNumberOutOfRange(field: String, value: Double, range: String) throws {
        let b = Self.bytes
        let length = Int(Fixture.u32(at: 20, in: b))
        var settings = try #require(try JSONSerialization.jsonObject(with: Data(b[32..<(32 + length)])) as? [String: Any])
        settings[field] = value
        let json = [UInt8](try JSONSerialization.data(withJSONObject: settings, options: .sortedKeys))
        var changed = Array(b[0..<32]) + json + Array(b[(32 + length)...])
        Fixture.put(u32: UInt32(json.count), at: 20, in: &changed)
        Fixture.put(u64: UInt64(changed.count), at: 24, in: &changed)
        guard case let .invalidField(name, reason) = failure(Fixture.resealed(changed)) else { Issue.record("decoded"); return }
        #expect(name == "configuration" && reason.contains("field \"\(field)\"") && reason.contains("beyond the range of a \(range)"), "\(reason)")
        #expect(!reason.contains("malformed"))
    }

    // MARK: file length (offset 24): truncation and extra bytes

    @Test func truncatedAtEveryLength() {
        let b = Self.bytes
        for length in 0..<b.count {
            let kind = failure(Array(b[0..<length]))
            switch length {
            case 0: #expect(kind == .notAMIRIFile(prefix: [], expected: "model"))
            case 1..<36: #expect(kind == .truncated(expected: 36, actual: length), "length \(length)")
            default: #expect(kind == .truncated(expected: b.count, actual: length), "length \(length)")
            }
        }
        let message = ModelFileError(.truncated(expected: b.count, actual: 100), source: "m.miri").description
        #expect(message == "m.miri: truncated: the header says \(b.count) bytes, the file has 100 (an interrupted copy or write?)")
    }

    @Test func extraBytes() {
        #expect(failure(Self.bytes + [0]) == .trailingBytes(expected: Self.bytes.count, actual: Self.bytes.count + 1))
    }

    @Test func wrongDeclaredLength() {
        var b = Self.bytes
        Fixture.put(u64: UInt64(b.count - 1), at: 24, in: &b)
        #expect(failure(b) == .trailingBytes(expected: b.count - 1, actual: b.count))
        Fixture.put(u64: UInt64(b.count + 1), at: 24, in: &b)
        #expect(failure(b) == .truncated(expected: b.count + 1, actual: b.count))
        Fixture.put(u64: 3, at: 24, in: &b)
        #expect(fieldError(b) == "file length")
        Fixture.put(u64: .max, at: 24, in: &b)
        #expect(failure(b) == .truncated(expected: Int.max, actual: b.count))
    }

    // MARK: checksum (the last 4 bytes), and any flipped bit anywhere

    @Test func checksumMismatch() {
        var b = Self.bytes
        b[b.count - 1] ^= 0x80
        guard case .checksumMismatch = failure(b) else { Issue.record("not a checksum error: \(String(describing: failure(b)))"); return }
    }

    @Test("flipping any one bit of any byte is caught")
    func everyBitFlip() {
        let b = Self.bytes
        var undetected: [Int] = []
        for i in stride(from: 0, to: b.count, by: max(1, b.count / 4000)) {
            for bit in [0, 3, 7] {
                var c = b
                c[i] ^= UInt8(1 << bit)
                if failure(c) == nil { undetected.append(i) }
            }
        }
        #expect(undetected.isEmpty, "undetected flips at \(undetected.prefix(10))")
    }

    // MARK: body fields behind the checksum

    @Test("wrong width: a network whose layer widths do not fit the columns and configuration")
    func wrongWidth() {
        var b = Self.bytes
        let first = ModelLayout(bytes: b).firstNetwork
        Fixture.put(u32: 9, at: first + 8, in: &b)                  // hidden width 8 → 9
        guard case let .invalidField(field, reason) = failure(Fixture.resealed(b)) else { Issue.record("decoded"); return }
        #expect(field == "round 1 widths")
        #expect(reason == "[10, 9, 3] do not fit a table of 3 columns with hidden widths [8]; expected [10, 8, 3]")
        var c = Self.bytes
        Fixture.put(u32: 9999, at: first, in: &c)                   // width count
        #expect(fieldError(Fixture.resealed(c)) == "round 1 width count")
        var e = Self.bytes
        Fixture.put(u64: 5, at: first + 16, in: &e)                 // parameter count
        #expect(fieldError(Fixture.resealed(e)) == "round 1 parameter count")
    }

    @Test func nonFiniteWeight() {
        var b = Self.bytes
        Fixture.put(u32: Float.nan.bitPattern, at: ModelLayout(bytes: b).firstNetwork + 24 + 4 * 5, in: &b)
        guard case let .invalidField(field, reason) = failure(Fixture.resealed(b)) else { Issue.record("decoded"); return }
        #expect(field == "round 1 parameters" && reason.hasPrefix("parameter 5 is nan"))
    }

    @Test func badScalingBoundsAndNames() {
        let layout = ModelLayout(bytes: Self.bytes)
        var zeroStd = Self.bytes
        for i in 0..<8 { zeroStd[layout.stds + 8 + i] = 0 }
        #expect(fieldError(Fixture.resealed(zeroStd)) == "scaling stds")
        var flag = Self.bytes
        flag[layout.boundsFlag] = 7
        #expect(fieldError(Fixture.resealed(flag)) == "bounds flag")
        var noBounds = Self.bytes
        noBounds[layout.boundsFlag] = 0                              // the configuration says clamp
        #expect(fieldError(Fixture.resealed(noBounds)) == "bounds flag")
        var nameLength = Self.bytes
        Fixture.put(u32: 1 << 30, at: layout.namesCount + 4, in: &nameLength)
        #expect(fieldError(Fixture.resealed(nameLength)) == "column name 1 length")
        var utf8 = Self.bytes
        utf8[layout.namesCount + 8] = 0xFF
        #expect(fieldError(Fixture.resealed(utf8)) == "column name 1")
    }

    @Test("messages name the file and the field")
    func messages() {
        var b = Self.bytes
        b[ModelLayout(bytes: b).boundsFlag] = 7
        do {
            try decode(Fixture.resealed(b))
            Issue.record("decoded")
        } catch {
            #expect(String(describing: error) == "m.miri: bounds flag: 7; expected 0 (none) or 1")
        }
    }
}
