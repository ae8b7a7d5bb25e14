import Foundation
import Testing
import TableIO

@Suite("AtomicFile: all or nothing")
struct AtomicFileTests {
    @Test("creates a new file and replaces an old one, keeping its permissions")
    func writesAndReplaces() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.csv"
        try AtomicFile.write(Data("first\n".utf8), to: path)
        #expect(contents(path) == "first\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        try AtomicFile.write(Data("second\n".utf8), to: path)
        #expect(contents(path) == "second\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o640)
        #expect(listing(folder) == ["out.csv"])
    }

    @Test("a folder that does not exist: an error naming the path, nothing created")
    func missingFolder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/no/such/out.csv"
        #expect {
            try AtomicFile.write(Data("x".utf8), to: path)
        } throws: { error in
            (error as? FileWriteError)?.description == "cannot write \(path): cannot create a file in \(folder)/no/such: No such file or directory"
        }
        #expect(listing(folder).isEmpty)
    }

    @Test("a failure while writing leaves the old file intact and no temporary file behind")
    func failingBody() throws {
        struct Interrupted: Error {}
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.csv"
        try AtomicFile.write(Data("old\n".utf8), to: path)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: path) { handle in
                try handle.write(contentsOf: Data("half a fi".utf8))
                throw Interrupted()
            }
        }
        #expect(contents(path) == "old\n")
        #expect(listing(folder) == ["out.csv"])
    }

    @Test("a directory in the way: an error, the directory untouched, no temporary file left")
    func directoryInTheWay() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.csv"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path + "/inner"))
        #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: path) }
        #expect(listing(folder) == ["out.csv"])
        #expect(contents(path + "/inner") == "keep")
    }

    @Test("a folder without write permission: an error, the old file intact",
          .enabled(if: geteuid() != 0, "root ignores permissions"))
    func readOnlyFolder() throws {
        let folder = try makeTemporaryFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let path = folder + "/out.csv"
        try AtomicFile.write(Data("old\n".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        #expect {
            try AtomicFile.write(Data("new\n".utf8), to: path)
        } throws: { error in
            (error as? FileWriteError)?.reason.contains("Permission denied") == true
        }
        #expect(contents(path) == "old\n")
        #expect(listing(folder) == ["out.csv"])
    }
}
