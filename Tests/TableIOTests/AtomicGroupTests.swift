import Foundation
import Testing
import TableIO

/// Several outputs written as one: every file lands or none does (issue 14, defects 4 and 5).
@Suite("AtomicFile: several files, all or nothing")
struct AtomicGroupTests {
    func write(_ paths: [String], _ texts: [String]) throws {
        try AtomicFile.write(to: paths) { handles in
            for (handle, text) in zip(handles, texts) { try handle.write(contentsOf: Data(text.utf8)) }
        }
    }

    @Test("all files land, old ones replaced, no temporary file left")
    func allLand() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = (1...3).map { "\(folder)/out.\($0).csv" }
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: paths[1]))
        try write(paths, ["one\n", "two\n", "three\n"])
        #expect(paths.map(contents) == ["one\n", "two\n", "three\n"])
        #expect(listing(folder) == ["out.1.csv", "out.2.csv", "out.3.csv"])
    }

    @Test("a rename that fails after others succeeded puts every old file back and removes the new ones")
    func renameFailsMidway() throws {
        let folder = try makeTemporaryFolder(), other = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: other) }
        let paths = ["\(folder)/out.1.csv", "\(folder)/out.2.csv", "\(other)/out.3.csv", "\(folder)/out.4.csv"]
        try Data("old 1\n".utf8).write(to: URL(fileURLWithPath: paths[0]))
        try Data("old 4\n".utf8).write(to: URL(fileURLWithPath: paths[3]))
        // The third output's folder disappears while the tables are written, after every output
        // was opened: its rename fails once the first two are done.
        #expect(throws: FileWriteError.self) {
            try AtomicFile.write(to: paths) { handles in
                try FileManager.default.removeItem(atPath: other)
                for handle in handles { try handle.write(contentsOf: Data("new\n".utf8)) }
            }
        }
        #expect(contents(paths[0]) == "old 1\n")
        #expect(!FileManager.default.fileExists(atPath: paths[1]))
        #expect(contents(paths[3]) == "old 4\n")
        #expect(listing(folder) == ["out.1.csv", "out.4.csv"])
    }

    @Test("a folder that takes an output's place while it is written: an error, nothing renamed")
    func folderAppears() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = (1...3).map { "\(folder)/out.\($0).csv" }
        try Data("old 1\n".utf8).write(to: URL(fileURLWithPath: paths[0]))
        #expect(throws: FileWriteError.self) {
            try AtomicFile.write(to: paths) { handles in
                try FileManager.default.createDirectory(atPath: paths[2], withIntermediateDirectories: false)
                for handle in handles { try handle.write(contentsOf: Data("new\n".utf8)) }
            }
        }
        #expect(contents(paths[0]) == "old 1\n")
        #expect(listing(folder) == ["out.1.csv", "out.3.csv"])
    }

    @Test("a folder in the way is found before anything is written")
    func folderFoundFirst() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = (1...3).map { "\(folder)/out.\($0).csv" }
        try FileManager.default.createDirectory(atPath: paths[1], withIntermediateDirectories: false)
        try Data("old 3\n".utf8).write(to: URL(fileURLWithPath: paths[2]))
        var bodyRan = false
        #expect {
            try AtomicFile.write(to: paths) { _ in bodyRan = true }
        } throws: { error in
            (error as? FileWriteError)?.description == "cannot write \(paths[1]): it is a directory"
        }
        #expect(!bodyRan)
        #expect(contents(paths[2]) == "old 3\n")
        #expect(listing(folder) == ["out.2.csv", "out.3.csv"])
    }

    @Test("thousands of outputs open one after the other, not by recursion")
    func manyOutputs() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let count = min(3000, Int(limit.rlim_cur) - 64)
        let paths = (1...count).map { "\(folder)/o.\($0)" }
        try write(paths, paths.map { _ in "x" })
        #expect(listing(folder).count == count)
    }
}
