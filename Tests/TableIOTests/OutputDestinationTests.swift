import Foundation
import Testing
import TableIO

/// `AtomicFile` replaces regular files but writes through devices, pipes and links (issue 14,
/// defect 3: `-o null` on a private null device turned it into a regular file).
@Suite("AtomicFile: devices, pipes and links")
struct OutputDestinationTests {
    func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// A character device node like /dev/null (major 1, minor 3) or /dev/full (1, 7) in a test
    /// folder, so the system's own node is never at risk. Needs root; nil otherwise.
    static func makeDevice(_ path: String, minor: UInt32) -> Bool {
        mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0   // glibc makedev(1, minor) for small numbers
    }

    @Test("a private null device stays a device, and the write succeeds",
          .enabled(if: geteuid() == 0, "creating a device node needs root"))
    func nullDevice() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/null"
        #expect(Self.makeDevice(path, minor: 3))
        try AtomicFile.write(Data("a,b\n1,2\n".utf8), to: path)
        #expect(fileType(path) == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["null"])
    }

    @Test("a private full device: the write fails with the system's reason, the node stays",
          .enabled(if: geteuid() == 0, "creating a device node needs root"))
    func fullDevice() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/full"
        #expect(Self.makeDevice(path, minor: 7))
        #expect {
            try AtomicFile.write(Data("a,b\n1,2\n".utf8), to: path)
        } throws: { error in
            (error as? FileWriteError)?.reason == "No space left on device"
        }
        #expect(fileType(path) == S_IFCHR)
    }

    @Test("a fifo stays a fifo and its reader gets the bytes")
    func fifo() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // Opening the read end without blocking first lets the writer's open succeed at once.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try AtomicFile.write(Data("through\n".utf8), to: path)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count == 8 && String(decoding: buffer.prefix(8), as: UTF8.self) == "through\n")
        #expect(fileType(path) == S_IFIFO)
    }

    @Test("a link to a regular file stays a link; its target is replaced, permissions kept")
    func linkToFile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: false)
        let target = folder + "/data/real.csv", link = folder + "/out.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        #expect(symlink("data/real.csv", link) == 0)
        try AtomicFile.write(Data("new\n".utf8), to: link)
        #expect(fileType(link) == S_IFLNK)
        #expect(contents(target) == "new\n")
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/data") == ["real.csv"])
    }

    @Test("a link to a fifo is written through")
    func linkToFifo() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipe = folder + "/pipe", link = folder + "/out.csv"
        #expect(mkfifo(pipe, 0o600) == 0)
        #expect(symlink(pipe, link) == 0)
        let reader = open(pipe, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        try AtomicFile.write(Data("x\n".utf8), to: link)
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(read(reader, &buffer, buffer.count) == 2)
        #expect(fileType(link) == S_IFLNK && fileType(pipe) == S_IFIFO)
    }

    @Test("a link to a folder: an error naming the link, the link kept, nothing created")
    func linkToFolder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/dir", withIntermediateDirectories: false)
        let link = folder + "/out.csv"
        #expect(symlink("dir", link) == 0)
        #expect {
            try AtomicFile.write(Data("x\n".utf8), to: link)
        } throws: { error in
            (error as? FileWriteError)?.description == "cannot write \(link): it is a link to a directory"
        }
        #expect(fileType(link) == S_IFLNK)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["dir", "out.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/dir").isEmpty)
    }
}
