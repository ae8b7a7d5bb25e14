import Linalg

/// FNV-1a, 64-bit (Fowler, Noll, Vo): offset basis 0xCBF29CE484222325, prime 0x100000001B3,
/// one byte at a time. Check values: "" → 0xCBF29CE484222325, "a" → 0xAF63DC4C8601EC8C,
/// "foobar" → 0x85944171F73967E8. Not a cryptographic hash.
package struct FNV1a64: Sendable {
    package private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    package init() {}

    package mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var h = value
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        value = h
    }

    /// Feeds the 8 bytes of `word`, least significant first.
    package mutating func update(word: UInt64) {
        var h = value
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            h ^= (word >> shift) & 0xFF
            h = h &* 0x0000_0100_0000_01B3
        }
        value = h
    }

    /// Feeds the 4 bytes of `word`, least significant first.
    package mutating func update(u32 word: UInt32) {
        var h = value
        for shift in stride(from: UInt32(0), to: 32, by: 8) {
            h ^= UInt64((word >> shift) & 0xFF)
            h = h &* 0x0000_0100_0000_01B3
        }
        value = h
    }

    package static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var h = FNV1a64()
        h.update(bytes)
        return h.value
    }
}

/// A 64-bit fingerprint of a table: FNV-1a over its row count and column count (u64 each),
/// then every entry's 32-bit pattern (row-major, bytes least significant first; every NaN
/// counted as the one pattern 0x7FC00000, so only *where* values are missing matters, not
/// their NaN payload).
///
/// A checkpoint stores it, so resuming a run on a different table is refused.
package enum TableFingerprint {
    package static func of(_ table: Matrix) -> UInt64 {
        var h = FNV1a64()
        h.update(word: UInt64(table.rows))
        h.update(word: UInt64(table.cols))
        for v in table.storage { h.update(u32: v.isNaN ? 0x7FC0_0000 : v.bitPattern) }
        return h.value
    }
}
