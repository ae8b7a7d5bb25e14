import Foundation
import Testing
import TableIO

/// The hidden temporary files of writers killed mid-write are removed by the next write of
/// the same output (issue 14: `kill -9` left `.OUT.PID.RAND.tmp` behind for good).
@Suite("AtomicFile: temporaries of dead writers")
struct StaleTemporariesTests {
    /// The PID of a process that has exited (and been reaped).
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("a dead writer's temporary of this output goes; a live writer's, another output's and look-alikes stay")
    func removesOnlyDeadWritersOfThisOutput() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dead = try Self.deadPID(), alive = getpid()
        let stale = [".out.csv.\(dead).12345.tmp", ".out.csv.\(dead).0.tmp"]
        let kept = [".out.csv.\(alive).777.tmp", ".other.csv.\(dead).1.tmp", ".out.csv.\(dead).x.tmp",
                    ".out.csv.\(dead).1.2.tmp", "out.csv.\(dead).1.tmp"]
        for name in stale + kept { try Data("half".utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        // A folder of the pattern is not a temporary file: left alone.
        try FileManager.default.createDirectory(atPath: "\(folder)/.out.csv.\(dead).9.tmp", withIntermediateDirectories: false)
        try AtomicFile.write(Data("new\n".utf8), to: folder + "/out.csv")
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(listing == (kept + ["out.csv", ".out.csv.\(dead).9.tmp"]).sorted())
    }

    @Test("a temporary whose writer holds its lock stays, whatever its PID (a writer in another PID namespace)")
    func lockedStays() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dead = try Self.deadPID()
        let path = "\(folder)/.out.csv.\(dead).3.tmp"
        try Data("half".utf8).write(to: URL(fileURLWithPath: path))
        let writer = open(path, O_WRONLY)
        defer { close(writer) }
        #expect(flock(writer, LOCK_EX | LOCK_NB) == 0)
        try AtomicFile.write(Data("new\n".utf8), to: folder + "/out.csv")
        #expect(listing(folder) == [".out.csv.\(dead).3.tmp", "out.csv"])
    }

    @Test("the temporaries of a link's target are the ones cleaned")
    func throughALink() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: false)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: folder + "/data/real.csv"))
        #expect(symlink("data/real.csv", folder + "/out.csv") == 0)
        let dead = try Self.deadPID()
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(folder)/data/.real.csv.\(dead).5.tmp"))
        try AtomicFile.write(Data("new\n".utf8), to: folder + "/out.csv")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/data") == ["real.csv"])
    }
}
