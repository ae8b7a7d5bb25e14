import Imputation
import ModelStore
import Testing

@Suite("Checksums against published check values")
struct ChecksumTests {
    /// zlib's crc32: the catalogue check value (CRC-32/ISO-HDLC) and two well-known strings.
    @Test(arguments: [
        ("", UInt32(0x0000_0000)),
        ("a", UInt32(0xE8B7_BE43)),
        ("123456789", UInt32(0xCBF4_3926)),
        ("The quick brown fox jumps over the lazy dog", UInt32(0x414F_A339)),
    ])
    func crc32(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    /// The sliced path (4 bytes at a time) and the byte path agree, whatever the split.
    @Test func crc32InPieces() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
        let whole = CRC32.checksum(bytes)
        for split in [0, 1, 2, 3, 5, 499, 999, 1000] {
            var crc = CRC32()
            crc.update(bytes[..<split])
            crc.update(bytes[split...].lazy.map { $0 })       // a non-contiguous sequence: byte path
            #expect(crc.value == whole, "split at \(split)")
        }
        // zlib.crc32(bytes(range(256))) == 0x29058C73
        #expect(CRC32.checksum((0...255).map { UInt8($0) }) == 0x2905_8C73)
    }

    /// FNV-1a 64 check values from the reference implementation's test suite.
    @Test(arguments: [
        ("", UInt64(0xCBF2_9CE4_8422_2325)),
        ("a", UInt64(0xAF63_DC4C_8601_EC8C)),
        ("foobar", UInt64(0x8594_4171_F739_67E8)),
    ])
    func fnv1a64(text: String, expected: UInt64) {
        #expect(FNV1a64.hash(Array(text.utf8)) == expected)
    }

    @Test func fnvWordsAreLittleEndianBytes() {
        var byWord = FNV1a64(), byBytes = FNV1a64()
        byWord.update(word: 0x0807_0605_0403_0201)
        byWord.update(u32: 0x0C0B_0A09)
        byBytes.update(Array(1...12) as [UInt8])
        #expect(byWord.value == byBytes.value)
    }
}
