import Foundation

/// Runs one of the package's built executables as a separate process, the way a shell would.
///
/// Where the binary is: beside the test bundle (SwiftPM puts every product of a build in one
/// folder, whatever `--scratch-path` or configuration), else under the package's `.build`.
/// The environment variable `override` (e.g. `MIRI_BINARY`) names it instead when set.
public struct BuiltExecutable: Sendable {
    /// What a run gave.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output (empty when it went to a file).
        public var stdout: Data
        /// Standard error, as text.
        public var stderr: String
        /// Standard output, as text.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The executable's path.
    public let url: URL

    /// Finds the built product `name`; stops the tests with a message naming `override` when it is not there.
    public init(named name: String, override: String) {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment[override] { url = URL(fileURLWithPath: path); return }
        var folders: [URL] = []
        // Linux: the test runner is the bundle's own executable.
        folders.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        if let main = Bundle.main.executableURL { folders.append(main.resolvingSymlinksInPath().deletingLastPathComponent()) }
        // macOS: the .xctest bundle sits in the build folder.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders += ["release", "debug"].map { root.appendingPathComponent(".build/\($0)") }
        guard let found = folders.map({ $0.appendingPathComponent(name) }).first(where: { fm.isExecutableFile(atPath: $0.path) }) else {
            fatalError("cannot find the built \(name) executable (looked in \(folders.map(\.path))); set \(override)")
        }
        url = found
    }

    /// Runs it with `arguments` in `folder`, feeding `input` on standard input (nothing when
    /// nil), and waits for it to exit. `stdoutPath` sends standard output to that file or device
    /// instead (`Result.stdout` is then empty). Output goes through files, so a chatty process
    /// never blocks on a full pipe.
    public func run(_ arguments: [String], input: Data? = nil, in folder: URL? = nil,
                    environment: [String: String] = [:], stdoutPath: String? = nil) throws -> Result {
        let scratch = try Scratch(prefix: "miri-process")
        let stdinURL = scratch.file("stdin"), stderrURL = scratch.file("stderr")
        let stdoutURL = stdoutPath.map { URL(fileURLWithPath: $0) } ?? scratch.file("stdout")
        try (input ?? Data()).write(to: stdinURL)
        if stdoutPath == nil { _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil) }
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = url
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
}
