import Foundation
import Testing
import Flow
import Imputation
import Linalg
import TableIO
import TestSupport
@testable import MIRI

/// Agreement as the tool's: every rank throws when one did (the failing one its own error).
private struct Agreement: FailureAgreement {
    let communicator: Communicator
    struct Elsewhere: Error {}
    func agreed<T>(_ body: () throws -> T) throws -> T {
        var result: Result<T, Error>
        do { result = .success(try body()) } catch { result = .failure(error) }
        let failed: [UInt8]? = { if case .failure = result { return [] } else { return nil } }()
        if communicator.agree(failure: failed) != nil {
            if case let .failure(error) = result { throw error }
            throw Elsewhere()
        }
        return try result.get()
    }
}

@Suite("A table of numbers read in byte ranges by several ranks")
struct TableShareTests {
    static func read(_ text: String, size: Int, overrides: KindOverrides = KindOverrides()) throws -> [Result<TableShare?, Error>] {
        let scratch = try Scratch()
        let path = try scratch.write("t.csv", text)
        return ThreadGroup.run(size: size) { comm in
            try TableShare.read(path: path, overrides: overrides, communicator: comm, agreement: Agreement(communicator: comm))
        }
    }

    static func table(rows: Int) -> String {
        var random = RandomSource(seed: 3)
        var text = "a,b,c\n"
        for i in 0..<rows {
            let a = random.index(below: 7) == 0 ? "" : "\(random.index(below: 100))"     // integers
            let b = random.index(below: 5) == 0 ? "NA" : "\(Float(random.normal()) * 1000)"
            text += "\(a),\(b),\(Double(i) * 0.5)\n"                                      // c: a fraction every other row
        }
        return text
    }

    @Test("kinds, rows and missing cells of the whole table; the blocks in order are its rows", arguments: [1, 2, 3, 6])
    func wholeTable(size: Int) throws {
        let text = Self.table(rows: 57)
        let whole = try CSVTable.read(bytes: Array(text.utf8), source: "t.csv", allowText: true)
        let detected = try whole.detectKinds(overrides: KindOverrides(), source: "t.csv").schema
        let shares = try Self.read(text, size: size).map { try #require(try $0.get()) }
        var firstRow = 0
        for share in shares {
            #expect(share.schema.kinds == detected.kinds && share.schema.names == detected.names)
            #expect(abs(share.schema.oneHotScale - detected.oneHotScale) <= 1e-6 * detected.oneHotScale)
            #expect(share.tableRows == whole.values.rows && share.missingCount == whole.missingCount)
            #expect(share.firstRow == firstRow)
            firstRow += share.block.values.rows
        }
        #expect(shares.flatMap(\.block.values.storage).map(\.bitPattern) == whole.values.storage.map(\.bitPattern))
    }

    @Test("text cells, kind overrides or a quote: every rank is told to read the whole file")
    func notSplit() throws {
        let text = Self.table(rows: 30)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[25] = "three,1,2"                  // rank 0 of 2 or 3 does not read it
        let withText = lines.joined(separator: "\n")
        lines[25] = "\"3\",1,2"
        let quoted = lines.joined(separator: "\n")
        for size in [2, 3] {
            for (name, file, overrides) in [("text", withText, KindOverrides()), ("quote", quoted, KindOverrides()),
                                            ("override", text, KindOverrides(categorical: [], numeric: ["a"], passThrough: []))] {
                let results = try Self.read(file, size: size, overrides: overrides)
                #expect(try results.allSatisfy { try $0.get() == nil }, "\(name), P = \(size)")
            }
        }
    }

    @Test("a column observed nowhere, a bad cell, or no rows: every rank throws, the reading rank with the whole read's message")
    func errors() throws {
        let empty = "a,b\n" + (0..<20).map { "\($0),\n" }.joined()
        for result in try Self.read(empty, size: 3) {
            #expect(throws: CSVError.self) { try result.get() }
        }
        var lines = Self.table(rows: 40).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[35] = "1,inf,2"
        let bad = lines.joined(separator: "\n")
        let results = try Self.read(bad, size: 3)
        let errors = results.map { result -> String in
            do { _ = try result.get(); return "none" } catch { return "\(error)" }
        }
        #expect(errors.filter { $0.contains("line 36, column 2") }.count == 1, "\(errors)")
        #expect(errors.allSatisfy { $0 != "none" })
        for result in try Self.read("a,b\n", size: 2) {
            #expect(throws: CSVError.self) { try result.get() }
        }
    }
}
