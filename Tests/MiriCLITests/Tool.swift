import Foundation

/// Runs the built `miri` executable as a separate process, the way a shell would.
///
/// Where the binary is: beside the test bundle (SwiftPM puts every product of a build in one
/// folder, whatever `--scratch-path` or configuration), else under the package's `.build`.
/// `MIRI_BINARY` overrides both.
enum Tool {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let executable: URL = {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["MIRI_BINARY"] { return URL(fileURLWithPath: path) }
        var folders: [URL] = []
        // Linux: the test runner is the bundle's own executable.
        let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        folders.append(selfExe.deletingLastPathComponent())
        if let main = Bundle.main.executableURL { folders.append(main.resolvingSymlinksInPath().deletingLastPathComponent()) }
        // macOS: the .xctest bundle sits in the build folder.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders += ["release", "debug"].map { root.appendingPathComponent(".build/\($0)") }
        for folder in folders {
            let candidate = folder.appendingPathComponent("miri")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("cannot find the built miri executable (looked in \(folders.map(\.path))); set MIRI_BINARY")
    }()

    /// Runs `miri arguments…` in `folder`, feeding `input` on standard input (empty when nil).
    /// `stdoutPath` sends standard output to that file or device instead (its `Result.stdout`
    /// is then empty).
    static func run(_ arguments: [String], input: Data? = nil, in folder: URL? = nil,
                    environment: [String: String] = [:], stdoutPath: String? = nil) throws -> Result {
        let scratch = try Scratch()
        let stdinURL = scratch.file("stdin"), stderrURL = scratch.file("stderr")
        let stdoutURL = stdoutPath.map { URL(fileURLWithPath: $0) } ?? scratch.file("stdout")
        try (input ?? Data()).write(to: stdinURL)
        if stdoutPath == nil { _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil) }
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdoutPath == nil ? try Data(contentsOf: stdoutURL) : Data(),
                      stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// The fastest MIRI settings that still run every stage: for tests of the tool, not of MIRI.
    static let tinyMIRI = ["--rounds", "1", "--epochs", "2", "--hidden", "16", "--steps", "4", "--threads", "1"]
}

/// A fresh folder under the system's temporary folder, removed when the value goes away.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("miri-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` to `name` in this folder; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = file(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: file(name)), as: UTF8.self)
    }

    /// Names of the entries in the folder, sorted.
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// Splits CSV text into rows of raw fields (no quoted commas in these tests' data rows).
func csvRows(_ text: String) -> [[String]] {
    text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

let missingMarkers: Set<String> = ["", "NA", "NaN", "nan", "?"]
