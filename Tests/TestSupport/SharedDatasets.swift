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
