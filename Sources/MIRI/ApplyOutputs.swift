import Foundation
import TableIO

/// Where `miri apply` writes a streamed imputation: one table, or one per draw.
///
/// `--draws m` (without `--average`) writes m completed tables, draw k to OUT.k.csv: the draw
/// number goes before the output's extension (`out.csv` → `out.1.csv` … `out.m.csv`; a name
/// without an extension gets it at the end: `out` → `out.1`). One file per draw keeps every
/// table in the input's exact format, so each can be fed to the analysis unchanged (the usual
/// way to pool multiple imputations, Rubin's rules, runs the analysis once per completed table).
package enum ApplyOutputs {
    /// The file for draw `k` of the output `path`.
    package static func drawPath(_ path: String, draw k: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(path[..<dot]) + ".\(k)" + String(path[dot...])
        }
        return path + ".\(k)"
    }

    /// Opens every output (nil: standard output), runs `body` with their handles, then puts the
    /// files in place together (`AtomicFile.write(to:_:)`): if anything fails, no output file
    /// appears and existing files at those paths are untouched.
    package static func withHandles(_ paths: [String?], _ body: ([FileHandle]) throws -> Void) throws {
        let files = paths.compactMap { $0 }
        if files.isEmpty { return try body(paths.map { _ in FileHandle.standardOutput }) }
        precondition(files.count == paths.count, "standard output is only ever the one output")
        try AtomicFile.write(to: files, body)
    }
}
