/// Reads little-endian fields from a byte buffer, front to back, naming each field it reads so
/// that a file too short for it fails with `ModelFileError.Kind.invalidField` saying which one.
///
/// Every read checks the bytes left before touching memory, and every count read from the
/// file is checked against the bytes left before anything is allocated for it, so no file,
/// however damaged, can crash the reader or make it allocate more than the file's own size.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// Where reading must stop (the checksum trailer starts there).
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }

    /// Throws unless `count` items of `unitBytes` bytes each are left for `field`. Never
    /// overflows: the comparison divides instead of multiplying.
    func require(_ count: Int, unitBytes: Int = 1, for field: String) throws {
        if count < 0 || count > remaining / unitBytes {
            throw ModelFileError.Kind.invalidField(
                field: field, reason: "needs \(count) x \(unitBytes) bytes, only \(remaining) remain before the checksum")
        }
    }

    mutating func u8(_ field: String) throws -> UInt8 {
        try require(1, for: field)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A u8 that must be 0 (false) or 1 (true).
    mutating func flag(_ field: String) throws -> Bool {
        let value = try u8(field)
        if value > 1 { throw ModelFileError.Kind.invalidField(field: field, reason: "\(value); expected 0 or 1") }
        return value == 1
    }

    mutating func u32(_ field: String) throws -> UInt32 { try integer(field) }

    mutating func u64(_ field: String) throws -> UInt64 { try integer(field) }

    mutating func f32(_ field: String) throws -> Float { Float(bitPattern: try integer(field)) }

    mutating func f64(_ field: String) throws -> Double { Double(bitPattern: try integer(field)) }

    /// A u32 that counts `unitBytes`-sized items which must all fit in what is left.
    mutating func count(_ field: String, unitBytes: Int, limit: Int = Int(UInt32.max)) throws -> Int {
        let value = Int(try u32(field))
        if value > limit { throw ModelFileError.Kind.invalidField(field: field, reason: "\(value) is more than the \(limit) allowed") }
        try require(value, unitBytes: unitBytes, for: field)
        return value
    }

    mutating func raw(_ count: Int, _ field: String) throws -> ArraySlice<UInt8> {
        try require(count, for: field)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// A u32 byte length, then that many bytes of UTF-8.
    mutating func string(_ field: String) throws -> String {
        let length = try count("\(field) length", unitBytes: 1)
        let utf8 = try raw(length, field)
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw ModelFileError.Kind.invalidField(field: field, reason: "is not valid UTF-8")
        }
        return text
    }

    mutating func f32s(_ count: Int, _ field: String) throws -> [Float] {
        try require(count, unitBytes: 4, for: field)
        let start = offset
        offset += count * 4
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))) }
        }
    }

    /// Reads `count` binary32 values straight into `destination`.
    mutating func f32s(_ count: Int, into destination: UnsafeMutablePointer<Float>, _ field: String) throws {
        try require(count, unitBytes: 4, for: field)
        let start = offset
        offset += count * 4
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
            }
        }
    }

    mutating func f64s(_ count: Int, _ field: String) throws -> [Double] {
        try require(count, unitBytes: 8, for: field)
        return try (0..<count).map { _ in try f64(field) }
    }

    private mutating func integer<T: FixedWidthInteger>(_ field: String) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size, for: field)
        let start = offset
        offset += size
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: T.self) })
    }
}
