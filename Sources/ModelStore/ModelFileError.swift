/// A model or checkpoint file that cannot be used, with a message that names the file and,
/// for damage inside it, the field.
///
///     m.miri: not a MIRI model file (it starts with "id,x,y\n1,", not "MIRIMODL")
///     m.miri: format version 2; this miri reads version 1 (a newer miri wrote it)
///     m.miri: truncated: the header says 3021480 bytes, the file has 65536 (an interrupted copy?)
///     m.miri: checksum mismatch (stored CRC-32 0x1A2B3C4D, computed 0x0BADF00D): the file is corrupted
///     m.miri: round 2 widths: [28, 256, 9] do not fit a table of 9 columns with hidden widths [256, 256]
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong with the file.
    public enum Kind: Error, Equatable, Sendable {
        /// The file could not be opened or read; `reason` is the system's.
        case unreadable(reason: String)
        /// The first 8 bytes are not a MIRI magic.
        case notAMIRIFile(prefix: [UInt8], expected: String)
        /// A MIRI file of the other kind (a checkpoint where a model was expected, or back).
        case wrongKind(found: String, expected: String)
        /// A format version this code does not read.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// Fewer bytes than the header declares (or than a header needs).
        case truncated(expected: Int, actual: Int)
        /// More bytes than the header declares.
        case trailingBytes(expected: Int, actual: Int)
        /// The stored CRC-32 differs from that of the bytes before it.
        case checksumMismatch(stored: UInt32, computed: UInt32)
        /// A field whose value is impossible; `field` names it as docs/model-format.md does.
        case invalidField(field: String, reason: String)
    }

    /// The file's display name (its path).
    public var source: String
    /// What is wrong.
    public var kind: Kind

    package init(_ kind: Kind, source: String) {
        self.kind = kind
        self.source = source
    }

    public var description: String {
        switch kind {
        case let .unreadable(reason):
            return "\(source): cannot read: \(reason)"
        case let .notAMIRIFile(prefix, expected):
            return "\(source): not a MIRI \(expected) file (it starts with \(Self.show(prefix)), not \"\(ModelFormat.magic(for: expected))\")"
        case let .wrongKind(found, expected):
            return "\(source): this is a MIRI \(found) file, not a \(expected) file"
        case let .unsupportedVersion(found, supported):
            let hint = found > supported ? " (a newer miri wrote it)" : ""
            let known = supported == 1 ? "version 1" : "versions 1 to \(supported)"
            return "\(source): format version \(found); this miri reads \(known)\(hint)"
        case let .truncated(expected, actual):
            return "\(source): truncated: \(expected == ModelFormat.minimumSize ? "a MIRI file has at least" : "the header says") "
                + "\(expected) bytes, the file has \(actual) (an interrupted copy or write?)"
        case let .trailingBytes(expected, actual):
            return "\(source): the header says \(expected) bytes, the file has \(actual): extra bytes at the end"
        case let .checksumMismatch(stored, computed):
            return "\(source): checksum mismatch (stored CRC-32 \(Self.hex(stored)), computed \(Self.hex(computed))): the file is corrupted"
        case let .invalidField(field, reason):
            return "\(source): \(field): \(reason)"
        }
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Up to 8 bytes as a quoted string, non-printable ones escaped.
    static func show(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "nothing (an empty file)" }
        let text = bytes.prefix(8).map { b -> String in
            switch b {
            case 0x0A: return "\\n"
            case 0x0D: return "\\r"
            case 0x22: return "\\\""
            case 0x20...0x7E: return String(UnicodeScalar(b))
            default: return "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }.joined()
        return "\"\(text)\""
    }
}
