import Imputation
import Crypto
import Foundation
import Linalg

/// The mask digest masks.py prints (`sha256/16`): SHA-256 over numpy.packbits of the row-major
/// 0/1 mask (1 = missing), first 16 hex digits.
///
/// Why: two implementations of a mechanism agree when their digests agree, without shipping
/// masks around; `miri ampute` prints it so a user can check a mask against masks.py.
package enum MaskDigest {
    /// The digest of the mask whose observed indicator is `observed` (0 = missing).
    package static func digest(observed: Matrix) -> String {
        String(hex(packBits(observed)).prefix(16))
    }

    /// SHA-256 of `bytes` (swift-crypto) as 64 lowercase hex digits.
    package static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// numpy.packbits of the missing indicator: eight entries per byte, the first in the high
    /// bit, the last byte padded with zero bits.
    package static func packBits(_ observed: Matrix) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (observed.count + 7) / 8)
        for k in 0..<observed.count where observed.storage[k] == 0 {
            bytes[k / 8] |= 0x80 >> UInt8(k % 8)
        }
        return bytes
    }
}
