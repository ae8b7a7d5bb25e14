/// Appends little-endian numbers and length-prefixed strings to a growing byte buffer: the
/// only way model and checkpoint files are written, so every field has one encoding.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) { append(littleEndian: value) }

    mutating func u64(_ value: UInt64) { append(littleEndian: value) }

    mutating func f32(_ value: Float) { append(littleEndian: value.bitPattern) }

    mutating func f64(_ value: Double) { append(littleEndian: value.bitPattern) }

    /// `count` then the values, as u32 (the caller guarantees they fit).
    mutating func u32(_ value: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "\(value) does not fit in a u32 field")
        u32(UInt32(value))
    }

    /// The raw bytes, no length prefix.
    mutating func raw<Bytes: Collection>(_ data: Bytes) where Bytes.Element == UInt8 { bytes.append(contentsOf: data) }

    /// A u32 byte length, then the UTF-8 bytes.
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        u32(utf8.count)
        raw(utf8)
    }

    /// Each value as 4 little-endian bytes (IEEE 754 binary32), written in one pass.
    mutating func f32s(_ values: UnsafeBufferPointer<Float>) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * 4))
        bytes.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() {
                out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: start + 4 * i, as: UInt32.self)
            }
        }
    }

    mutating func f32s(_ values: [Float]) { values.withUnsafeBufferPointer { f32s($0) } }

    mutating func f64s(_ values: [Double]) { for v in values { f64(v) } }

    /// Overwrites the u64 at `offset` (for the file length, known only at the end).
    mutating func patch(u64 value: UInt64, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }

    private mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
