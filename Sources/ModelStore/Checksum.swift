/// CRC-32 as zlib, PNG and gzip compute it (IEEE 802.3: reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF). Check value: CRC-32 of the ASCII bytes
/// "123456789" is 0xCBF43926.
///
/// Why CRC-32 for model files: it detects every error burst up to 32 bits long and every odd
/// number of flipped bits, which covers the usual damage (a truncated copy, a torn write, a
/// flipped sector); it is not a defence against deliberate tampering.
package struct CRC32: Sendable {
    /// The running value (the final XOR is applied by `value`).
    private var register: UInt32 = 0xFFFF_FFFF

    package init() {}

    /// Feeds `bytes` into the checksum.
    package mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var crc = register
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            crc = Self.update(crc, buffer)
        }
        if handled == nil {
            for byte in bytes { crc = Self.table[0][Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        register = crc
    }

    /// The checksum of everything fed so far.
    package var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The CRC-32 of `bytes`.
    package static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Slicing-by-4: four table lookups per 4 input bytes, then byte at a time for the tail.
    private static func update(_ start: UInt32, _ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc = start
        var i = 0
        let n = buffer.count
        let t0 = table[0], t1 = table[1], t2 = table[2], t3 = table[3]
        while i + 4 <= n {
            crc ^= UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16 | UInt32(buffer[i + 3]) << 24
            crc = t3[Int(crc & 0xFF)] ^ t2[Int((crc >> 8) & 0xFF)] ^ t1[Int((crc >> 16) & 0xFF)] ^ t0[Int(crc >> 24)]
            i += 4
        }
        while i < n {
            crc = t0[Int((crc ^ UInt32(buffer[i])) & 0xFF)] ^ (crc >> 8)
            i += 1
        }
        return crc
    }

    /// table[0] is the classic byte table; table[k][b] advances table[k−1][b] by one zero byte.
    private static let table: [[UInt32]] = {
        var base = [UInt32](repeating: 0, count: 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            base[b] = c
        }
        var tables = [base]
        for k in 1..<4 {
            tables.append((0..<256).map { b in
                let previous = tables[k - 1][b]
                return base[Int(previous & 0xFF)] ^ (previous >> 8)
            })
        }
        return tables
    }()
}
