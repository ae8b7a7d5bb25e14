import Foundation

/// Runs the built `miri-bench` executable as a separate process, the way a shell would.
///
/// Where the binary is: beside the test bundle (SwiftPM puts every product of a build in one
/// folder, whatever `--scratch-path` or configuration), else under the package's `.build`.
/// `MIRI_BENCH_BINARY` overrides both.
enum Bench {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: URL = {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["MIRI_BENCH_BINARY"] { return URL(fileURLWithPath: path) }
        var folders: [URL] = []
        let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        folders.append(selfExe.deletingLastPathComponent())
        if let main = Bundle.main.executableURL { folders.append(main.resolvingSymlinksInPath().deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders += ["release", "debug"].map { root.appendingPathComponent(".build/\($0)") }
        for folder in folders {
            let candidate = folder.appendingPathComponent("miri-bench")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("cannot find the built miri-bench executable (looked in \(folders.map(\.path))); set MIRI_BENCH_BINARY")
    }()

    /// Runs `miri-bench arguments…` in `folder`; standard output and error go through files.
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> Result {
        let scratch = try Scratch()
        let stdoutURL = scratch.file("stdout"), stderrURL = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? stdout.close(); try? stderr.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try scratch.read("stdout"), stderr: try scratch.read("stderr"))
    }

    /// The cheapest MIRI that still runs every stage: for tests of the benchmark, not of MIRI.
    static let tinyMIRI = ["--rounds", "1", "--epochs", "2", "--hidden", "16", "--steps", "4"]

    /// results.json of `folder` as an array of objects.
    static func rows(in folder: Scratch, _ name: String = "out/results.json") throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.file(name))
        guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw TestFailure("results.json is not an array of objects")
        }
        return array
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh folder under the system's temporary folder, removed when the value goes away.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("miri-bench-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = file(name).path
        try FileManager.default.createDirectory(at: file(name).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: file(name)), as: UTF8.self)
    }
}
