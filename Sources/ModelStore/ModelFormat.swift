/// The container shared by model files and checkpoints (docs/model-format.md is the full
/// description): a fixed 32-byte header, a body of sections, and a CRC-32 trailer.
///
///     offset  size  field
///     0       8     magic: "MIRIMODL" (model), "MIRICKPT" (checkpoint) or "MIRIMICE" (MICE model), ASCII
///     8       4     format version, u32: 1, or 2 for a model (MIRI or MICE) that keeps column kinds
///     12      4     columns d, u32
///     16      4     networks K, u32 (model: the rounds; checkpoint: the rounds completed; MICE: rounds fitted)
///     20      4     configuration length L, u32 (bytes of JSON that open the body)
///     24      8     file length in bytes, u64, trailer included
///     32      …     body (see ModelSections)
///     end−4   4     CRC-32 (zlib's) of every byte before it, u32
///
/// Every number is little-endian; floats are IEEE 754 binary32/binary64.
///
/// Reading checks, in this order, so each kind of damage gets its own message: the magic, the
/// version, the length (truncated or extra bytes), the checksum, then every field of the body.
enum ModelFormat {
    /// The first version: every file of numbers only is still written with it, so readers that
    /// know nothing newer keep reading them.
    static let version: UInt32 = 1
    /// Adds the column-kinds section to MIRI and MICE models (`ModelSections.write(schema:)`).
    static let schemaVersion: UInt32 = 2
    /// Adds bootstrap members to a MIRI model (`ModelFile`): a flag before the column-kinds
    /// section (which becomes optional) and the members' networks after the K networks. Only a
    /// model with several members is written with it.
    static let membersVersion: UInt32 = 3
    static let headerSize = 32
    static let trailerSize = 4
    static let minimumSize = headerSize + trailerSize

    /// Byte offsets of the header fields.
    enum Offset {
        static let magic = 0, version = 8, columns = 12, networks = 16, configurationLength = 20, fileLength = 24
    }

    /// The kinds of file, told apart by their magic: MIRI models and checkpoints, and MICE models
    /// (`MICEModelFile`, whose header counts rounds where a MIRI file counts networks).
    enum Kind: String, CaseIterable {
        case model, checkpoint
        case mice = "MICE model"

        var magic: String {
            switch self {
            case .model: return "MIRIMODL"
            case .checkpoint: return "MIRICKPT"
            case .mice: return "MIRIMICE"
            }
        }
        var magicBytes: [UInt8] { Array(magic.utf8) }
    }

    static func magic(for kindName: String) -> String { Kind(rawValue: kindName)?.magic ?? "?" }

    /// The fixed header, as read.
    struct Header {
        var columns: Int
        var networks: Int
        var configurationLength: Int
        var fileLength: Int
        var version: UInt32
    }

    /// A writer holding a header whose file-length field is filled in by `seal`.
    static func begin(_ kind: Kind, version: UInt32 = version, columns: Int, networks: Int, configurationLength: Int,
                      capacity: Int) -> ByteWriter {
        var w = ByteWriter(reservingCapacity: capacity)
        w.raw(kind.magicBytes)
        w.u32(version)
        w.u32(columns)
        w.u32(networks)
        w.u32(configurationLength)
        w.u64(0)
        return w
    }

    /// Fills in the file length and appends the checksum; returns the finished file.
    static func seal(_ writer: ByteWriter) -> [UInt8] {
        var w = writer
        w.patch(u64: UInt64(w.count + trailerSize), at: Offset.fileLength)
        let crc = CRC32.checksum(w.bytes)
        w.u32(crc)
        return w.bytes
    }

    /// Checks magic, version, length and checksum of `bytes` as a file of `kind`; returns the
    /// header and a reader positioned at the body, ending before the trailer. `newest` is the
    /// last version this kind reads (checkpoints: 1; models: `schemaVersion`).
    static func open(_ bytes: [UInt8], as kind: Kind, newest: UInt32 = version) throws -> (Header, ByteReader) {
        let prefix = Array(bytes.prefix(8))
        if prefix != kind.magicBytes {
            if let other = Kind.allCases.first(where: { $0.magicBytes == prefix }) {
                throw ModelFileError.Kind.wrongKind(found: other.rawValue, expected: kind.rawValue)
            }
            if !prefix.isEmpty, prefix.count < 8, kind.magicBytes.starts(with: prefix) {
                throw ModelFileError.Kind.truncated(expected: minimumSize, actual: bytes.count)
            }
            throw ModelFileError.Kind.notAMIRIFile(prefix: prefix, expected: kind.rawValue)
        }
        if bytes.count < Offset.version + 4 { throw ModelFileError.Kind.truncated(expected: minimumSize, actual: bytes.count) }
        var r = ByteReader(bytes, from: Offset.version)
        let found = try r.u32("format version")
        if !(version...newest).contains(found) { throw ModelFileError.Kind.unsupportedVersion(found: found, supported: newest) }
        if bytes.count < minimumSize { throw ModelFileError.Kind.truncated(expected: minimumSize, actual: bytes.count) }
        let columns = Int(try r.u32("columns"))
        let networks = Int(try r.u32("networks"))
        let configurationLength = Int(try r.u32("configuration length"))
        let declared = try r.u64("file length")
        if declared < UInt64(minimumSize) {
            throw ModelFileError.Kind.invalidField(field: "file length", reason: "\(declared) bytes is less than the \(minimumSize) of an empty file")
        }
        if declared > UInt64(bytes.count) { throw ModelFileError.Kind.truncated(expected: Int(clamping: declared), actual: bytes.count) }
        if declared < UInt64(bytes.count) { throw ModelFileError.Kind.trailingBytes(expected: Int(declared), actual: bytes.count) }
        let end = bytes.count - trailerSize
        var trailer = ByteReader(bytes, from: end)
        let stored = try trailer.u32("checksum")
        let computed = CRC32.checksum(bytes[0..<end])
        if stored != computed { throw ModelFileError.Kind.checksumMismatch(stored: stored, computed: computed) }
        return (Header(columns: columns, networks: networks, configurationLength: configurationLength, fileLength: bytes.count,
                       version: found),
                ByteReader(bytes, from: headerSize, end: end))
    }
}
