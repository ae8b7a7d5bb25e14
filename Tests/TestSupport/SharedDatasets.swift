import Foundation

/// The shared benchmark tables the tests check against the reference digests: `$MIRI_DATASETS`,
/// else `../shared/datasets` beside the package root (CI checks the package out beside `shared`).
public enum SharedDatasets {
    public static let folder: String = ProcessInfo.processInfo.environment["MIRI_DATASETS"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets").path

    /// The path of `name` (e.g. "wine.csv"), or nil when it is not there.
    public static func path(_ name: String) -> String? {
        let path = folder + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The path of `name`, or an error that says where it was looked for and how to point the
    /// tests elsewhere. Tests that need a shared table fail with it rather than skip: CI always
    /// has the tables, so a skip would hide a check that never ran.
    public static func require(_ name: String) throws -> String {
        guard let path = path(name) else { throw Missing(name: name) }
        return path
    }

    /// `doubles(name)`, or `Missing` when the table is not there.
    public static func requireDoubles(_ name: String) throws -> (values: [Double], rows: Int, cols: Int) {
        _ = try require(name)
        guard let table = doubles(name) else { throw Missing(name: name + " (as plain numbers)") }
        return table
    }

    /// The error of `require`.
    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "\(name) not found in \(SharedDatasets.folder): these tests need ../shared/datasets beside the package, or MIRI_DATASETS set to that folder"
        }
    }

    /// A shared table read the way masks.py reads it (`numpy.loadtxt`, float64): header skipped,
    /// every cell parsed as Double. Written here, apart from TableIO, so the mask tests do not
    /// rely on the reader they exercise elsewhere. Nil when the file is missing or not plain numbers.
    public static func doubles(_ name: String) -> (values: [Double], rows: Int, cols: Int)? {
        guard let path = path(name), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        var values: [Double] = []
        var cols = 0
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            if cols == 0 { cols = cells.count }
            guard cells.count == cols, cells.allSatisfy({ $0 != nil }) else { return nil }
            values += cells.map { $0 ?? .nan }
        }
        return cols == 0 ? nil : (values, values.count / cols, cols)
    }
}
