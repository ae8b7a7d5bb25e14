import TestSupport
import Foundation
import Testing

/// Where `miri` writes: devices, links and standard output that cannot be written
/// (issue 14, defects 2 and 3).
@Suite struct OutputTests {
    static let small = "a,b\n1,2\n,3\n4,\n5,6\n"

    func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// A device node (major 1: 3 is null, 7 is full) in the scratch folder, so that the system's
    /// own /dev entries are never at risk. Needs root.
    static func device(_ scratch: Scratch, _ name: String, minor: UInt32) -> String {
        let path = scratch.file(name).path
        #expect(mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0, "mknod \(name)")
        return path
    }

    /// A device that refuses every write with ENOSPC: a private node as root, else the system's
    /// /dev/full (only ever opened for writing here, never replaced).
    static func fullDevice(_ scratch: Scratch) -> String {
        geteuid() == 0 ? device(scratch, "full", minor: 7) : "/dev/full"
    }

    @Test("-o naming a null device writes through it: status 0, the node is still a device",
          .enabled(if: geteuid() == 0, "creating a device node needs root"))
    func nullDevice() throws {
        let scratch = try Scratch()
        let input = try scratch.write("small.csv", Self.small)
        let null = Self.device(scratch, "null", minor: 3)
        let run = try Tool.run(["impute", input, "-o", null, "--method", "mean", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fileType(null) == S_IFCHR)
        #expect(try scratch.listing() == ["null", "small.csv"])
    }

    @Test("-o naming a link to /proc/self/fd/1 writes to standard output; the link stays")
    func linkToStandardOutput() throws {
        let scratch = try Scratch()
        let input = try scratch.write("small.csv", Self.small)
        let link = scratch.file("so").path
        #expect(symlink("/proc/self/fd/1", link) == 0)
        let run = try Tool.run(["impute", input, "-o", link, "--method", "mean", "--quiet", "--no-round-integers"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutText == "a,b\n1,2\n3.3333333,3\n4,3.6666667\n5,6\n")
        #expect(fileType(link) == S_IFLNK)
    }

    @Test("a full device as standard output: status 1 and a message, for impute, fit --output - and apply")
    func standardOutputFull() throws {
        let scratch = try Scratch()
        let input = try scratch.write("small.csv", Self.small)
        let full = Self.fullDevice(scratch)
        let impute = try Tool.run(["impute", input, "--method", "mean", "--quiet"], stdoutPath: full)
        #expect(impute.status == 1, "\(impute.stderr)")
        #expect(impute.stderr == "miri: error: cannot write standard output: No space left on device\n")

        let model = scratch.file("m.miri").path
        let fit = try Tool.run(["fit", input, "--model", model, "--output", "-", "--quiet"] + Tool.tinyMIRI, stdoutPath: full)
        #expect(fit.status == 1, "\(fit.stderr)")
        #expect(fit.stderr == "miri: error: cannot write standard output: No space left on device\n")
        #expect(!FileManager.default.fileExists(atPath: model), "no model without its table")

        #expect(try Tool.run(["fit", input, "--model", model, "--quiet"] + Tool.tinyMIRI).status == 0)
        let apply = try Tool.run(["apply", model, input, "--quiet", "--threads", "1"], stdoutPath: full)
        #expect(apply.status == 1, "\(apply.stderr)")
        #expect(apply.stderr == "miri: error: cannot write standard output: No space left on device\n")
    }

    @Test("fit: a table output that cannot be written leaves no model either")
    func fitAllOrNothing() throws {
        let scratch = try Scratch()
        let input = try scratch.write("small.csv", Self.small)
        try FileManager.default.createDirectory(at: scratch.file("out.csv"), withIntermediateDirectories: false)
        let run = try Tool.run(["fit", input, "--model", scratch.file("m.miri").path, "-o", scratch.file("out.csv").path, "--quiet"]
                               + Tool.tinyMIRI)
        #expect(run.status == 2, "\(run.stderr)")   // refused before any work (issue 24, I)
        #expect(try scratch.listing() == ["out.csv", "small.csv"])
    }

    @Test("a full device as standard error does not change the status")
    func standardErrorFull() throws {
        let scratch = try Scratch()
        let input = try scratch.write("small.csv", Self.small)
        let full = Self.fullDevice(scratch)
        let script = "exec \"$0\" impute \"$1\" -o \"$2\" --method mean --no-round-integers 2> \"$3\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, Tool.executable.url.path, input, scratch.file("out.csv").path, full]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try scratch.read("out.csv") == "a,b\n1,2\n3.3333333,3\n4,3.6666667\n5,6\n")
    }
}
