import Foundation

/// A fresh folder under the system's temporary folder, removed when the value goes away.
public final class Scratch {
    /// The folder.
    public let url: URL

    /// Creates `<temporary folder>/<prefix>-<UUID>`.
    public init(prefix: String = "miri-tests") throws {
        url = try Scratch.makeFolder(prefix: prefix)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A new, empty folder `<temporary folder>/<prefix>-<UUID>` that nothing removes.
    public static func makeFolder(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `name` inside the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` to `name` in this folder (creating sub-folders); returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: file(name).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file(name))
        return file(name).path
    }

    /// The text of `name` in this folder.
    public func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: file(name)), as: UTF8.self)
    }

    /// Names of the entries in the folder, sorted.
    public func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}
