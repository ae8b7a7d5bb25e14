import Foundation
import Testing
import Linalg
@testable import TableIO

/// A file read by P processes, each parsing only the rows that start in its byte range.
@Suite("Reading a CSV file in byte-range shares")
struct ByteShareTests {
    /// Every rank's share of `text` (written to a file), the probes exchanged as the ranks do;
    /// nil when the shares say the file must be read whole.
    static func shares(_ text: String, size: Int, allowText: Bool = false) throws -> [Result<CSVTable, Error>]? {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let shares = try (0..<size).map { try CSVByteShare(path: path, rank: $0, size: size) }
        let probes = shares.map(\.probe)
        var out: [Result<CSVTable, Error>] = []
        for share in shares {
            let result = Result { try share.read(probes: probes, allowText: allowText) }
            if case .success(nil) = result { return nil }
            out.append(result.map { $0! })
        }
        return out
    }

    static let texts: [(String, String)] = [
        ("plain", "a,b,c\n1,2,3\n4,,6\n7,8,\n10,11,12\n13,NA,15\n16,17,18\n"),
        ("CRLF, no final line end", "a,b\r\n1,2\r\n3,?\r\n5,6\r\n7,8\r\n9,10"),
        ("byte order mark, long rows", "\u{FEFF}x,y\n" + (0..<40).map { "\($0).000000000001,\($0 % 3 == 0 ? "" : "-\($0)e-3")" }.joined(separator: "\n") + "\n"),
        ("blank lines at the end", "a,b\n1,2\n3,4\n5,\n\n\n\n\n\n\n"),
        ("one column, blank rows inside", "v\n1\n\n\n2\n\n3\n4\n\n"),
        ("one row", "a,b\n1,2\n"),
        ("blanks around cells", "a , b\n 1 , 2 \n3,  \n  ,4\n"),
    ]

    @Test("the shares, in rank order, are the whole file's rows, lines and values", arguments: Array(1...7))
    func sharesAreTheFile(size: Int) throws {
        for (name, text) in Self.texts {
            let whole = try readCSV(text)
            let shares = try #require(try Self.shares(text, size: size), "\(name)").map { try $0.get() }
            #expect(shares.reduce(0) { $0 + $1.values.rows } == whole.values.rows, "\(name), P = \(size)")
            let values = shares.flatMap(\.values.storage)
            #expect(values.map(\.bitPattern) == whole.values.storage.map(\.bitPattern), "\(name), P = \(size)")
            var row = 0
            for share in shares {
                #expect(share.header == whole.header && share.lineEnding == whole.lineEnding, "\(name)")
                for i in 0..<share.values.rows {
                    #expect(share.line(ofRow: i) == whole.line(ofRow: row), "\(name), P = \(size), row \(row)")
                    row += 1
                }
            }
            // Written back, the shares are the whole file's rows as written.
            func zeros(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map { $0.isNaN ? 0 : $0 }) }
            let written = try shares.map { try $0.csvBytes(imputed: zeros($0.values), includeHeader: false) }
            let wholeWritten = try whole.csvBytes(imputed: zeros(whole.values), includeHeader: false)
            #expect(Array(written.joined()) == wholeWritten, "\(name), P = \(size)")
        }
    }

    @Test("a bad row is refused by the share that holds it, with the whole read's message and line")
    func errors() throws {
        let cases = [
            "a,b\n1,2\n3,4\n5,x\n7,8\n9,10\n11,12\n",          // not a number on line 4
            "a,b\n1,2\n3,4\n5,6\n7\n9,10\n11,12\n",            // ragged row on line 5
            "a,b\n1,2\n3,4\n\n7,8\n9,10\n11,12\n",              // a blank line inside a two-column table
            "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,inf\n",         // infinite, last line
        ]
        for text in cases {
            let expected = try #require(csvErrorMessage(text))
            for size in 1...6 {
                let results = try #require(try Self.shares(text, size: size))
                let messages = results.compactMap { result -> String? in
                    guard case let .failure(error) = result else { return nil }
                    return "\(error)".replacingOccurrences(of: #"^\S*/t\.csv"#, with: "test.csv", options: .regularExpression)
                }
                #expect(messages == [expected], "P = \(size)")
            }
        }
    }

    @Test("a quote anywhere in the body, or only a header: the file is read whole, or has no rows")
    func quotesAndHeaderOnly() throws {
        for size in 1...4 {
            #expect(try Self.shares("a,b\n1,2\n\"3\",4\n5,6\n", size: size) == nil)
            #expect(try Self.shares("\"a\",\"b\"\n1,2\n3,4\n", size: size) != nil, "quoted names are the header's")
            let empty = try #require(try Self.shares("a,b\n", size: size)).map { try $0.get() }
            #expect(empty.allSatisfy { $0.values.rows == 0 })
        }
    }

    /// Random files (any column count, spellings, missing markers, blanks, either line end, blank
    /// lines inside and at the end, a final line end or not, a byte order mark or not, now and
    /// then a bad cell) read by a random number of ranks: the shares are the whole read, or the
    /// first failing share fails as the whole read does. `MIRI_PROPERTY_SEED` reproduces a case.
    @Test("any file, any number of ranks: the shares are the whole read, or fail as it does")
    func property() throws {
        let seed = ProcessInfo.processInfo.environment["MIRI_PROPERTY_SEED"].flatMap { UInt64($0) } ?? 0xB17E_5
        var random = SplitMix64(seed: seed)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let spellings = ["1", "-2.5", ".5", "6.1556e+05", " 7 ", "1E-3", "0"]
        let markers = ["", "NA", "?", "nan", "NaN", "  "]
        for index in 0..<250 {
            let d = 1 + below(4), rows = 1 + below(25)
            let end = below(2) == 0 ? "\n" : "\r\n"
            var lines = [(0..<d).map { "c\($0)" }.joined(separator: ",")]
            for i in 0..<rows {
                if i > 0, below(12) == 0 { lines.append("") }                          // a blank line inside
                lines.append((0..<d).map { _ in
                    if i == 0 { return spellings[below(spellings.count)] }           // every column observed once
                    if below(40) == 0 { return ["x", "inf", "1,"][below(3)] }        // a bad cell or a ragged row
                    return below(3) == 0 ? markers[below(markers.count)] : spellings[below(spellings.count)]
                }.joined(separator: ","))
            }
            var text = (below(4) == 0 ? "\u{FEFF}" : "") + lines.joined(separator: end)
            if below(3) > 0 { text += end }
            if below(4) == 0 { text += String(repeating: end, count: 1 + below(3)) }  // blank lines at the end
            let size = 1 + below(8)
            let context = "case \(index) (seed \(seed)), P = \(size): \(text.debugDescription)"
            let shares = try #require(try Self.shares(text, size: size), "\(context)")
            let firstFailure = shares.lazy.compactMap { result -> String? in
                guard case let .failure(error) = result else { return nil }
                return "\(error)".replacingOccurrences(of: #"^\S*/t\.csv"#, with: "test.csv", options: .regularExpression)
            }.first
            switch Result(catching: { try readCSV(text) }) {
            case let .success(whole):
                #expect(firstFailure == nil, "\(context)")
                let tables = shares.compactMap { try? $0.get() }
                #expect(tables.flatMap(\.values.storage).map(\.bitPattern) == whole.values.storage.map(\.bitPattern), "\(context)")
                let lineNumbers = tables.flatMap { t in (0..<t.values.rows).map { t.line(ofRow: $0) } }
                #expect(lineNumbers == (0..<whole.values.rows).map { whole.line(ofRow: $0) }, "\(context)")
            case let .failure(error):
                #expect(firstFailure == "\(error)", "\(context)")
            }
        }
    }
}
