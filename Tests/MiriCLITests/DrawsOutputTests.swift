import TestSupport
import Foundation
import Testing

/// `apply --draws m`: every draw lands or none does, and a count the system cannot open at
/// once is refused up front (issue 14, defects 4 and 5).
@Suite struct DrawsOutputTests {
    static let table = "a,b\n1,2\n,3\n4,\n5,6\n"

    static func fitted(_ scratch: Scratch) throws -> (model: String, input: String) {
        let input = try scratch.write("t.csv", table)
        let model = scratch.file("m.miri").path
        let fit = try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI)
        #expect(fit.status == 0, "\(fit.stderr)")
        return (model, input)
    }

    /// Runs `miri arguments…` through `sh` after `ulimit` settings such as "-n 256".
    static func runLimited(_ limits: [String], _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let scratch = try Scratch()
        let errors = scratch.file("stderr").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let settings = limits.map { "ulimit \($0) || exit 77; " }.joined()
        process.arguments = ["-c", settings + "exec \"$@\" 2> \"$ERRORS\"", "sh", Tool.executable.url.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["ERRORS": errors]) { $1 }
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? scratch.read("stderr")) ?? "")
    }

    static var hardFileLimit: Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return limit.rlim_max == rlim_t.max ? Int.max : Int(limit.rlim_max)   // rlim_t.max: RLIM_INFINITY
    }

    @Test("a folder where draw 2 goes: status 2 before any work (issue 24, I); draws 1 and 3 keep their old files")
    func folderInTheWay() throws {
        let scratch = try Scratch()
        let (model, input) = try Self.fitted(scratch)
        try FileManager.default.createDirectory(at: scratch.file("out.2.csv"), withIntermediateDirectories: false)
        try scratch.write("out.1.csv", "old 1\n")
        try scratch.write("out.3.csv", "old 3\n")
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("out.csv").path, "--draws", "3", "--threads", "1", "--quiet"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "miri: error: \(scratch.file("out.2.csv").path): it is a directory; the output must name a file\n")
        #expect(try scratch.read("out.1.csv") == "old 1\n")
        #expect(try scratch.read("out.3.csv") == "old 3\n")
        #expect(try scratch.listing() == ["m.miri", "out.1.csv", "out.2.csv", "out.3.csv", "t.csv"])
    }

    @Test("more draws than files may be open: status 64 with the limit, nothing written",
          .enabled(if: hardFileLimit >= 256, "needs ulimit -n 256"))
    func beyondTheOpenFileLimit() throws {
        let scratch = try Scratch()
        let (model, input) = try Self.fitted(scratch)
        let run = try Self.runLimited(["-n 256"], ["apply", model, input, "-o", scratch.file("out.csv").path,
                                                    "--draws", "300", "--threads", "1", "--quiet"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("--draws 300 needs 300 files open at once"), "\(run.stderr)")
        #expect(run.stderr.contains("allows 256"), "\(run.stderr)")
        #expect(try scratch.listing() == ["m.miri", "t.csv"])
        // --average writes one table whatever the draw count.
        let average = try Self.runLimited(["-n 256"], ["apply", model, input, "-o", scratch.file("mean.csv").path,
                                                        "--draws", "300", "--average", "--threads", "1", "--quiet"])
        #expect(average.status == 0, "\(average.stderr)")
    }

    @Test("1,000 draws on a 512 kB stack: every draw written (the outputs were opened by recursion, which overflowed)",
          .enabled(if: hardFileLimit >= 1100, "needs ulimit -n 1100"))
    func manyDrawsSmallStack() throws {
        let scratch = try Scratch()
        let (model, input) = try Self.fitted(scratch)
        try FileManager.default.createDirectory(at: scratch.file("draws"), withIntermediateDirectories: false)
        let run = try Self.runLimited(["-s 512", "-n 1100"], ["apply", model, input, "-o", scratch.file("draws/o.csv").path,
                                                                "--draws", "1000", "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.file("draws").path)
        #expect(files.count == 1000 && !files.contains { $0.hasPrefix(".") })
    }
}
