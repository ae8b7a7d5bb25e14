import Foundation
import Testing
import Linalg
import TableIO

/// The CSV round trip as a property: for any table of finite Float32 values spelled in any of
/// the accepted ways, with any missing markers, header names that need quoting, either line
/// end, a final line end or not, and a byte order mark or not,
///
/// - reading gives every observed value's exact bits and NaN at every marker;
/// - writing with the missing cells filled gives exactly the input's bytes with only the
///   markers replaced (observed text verbatim), and reads back to the same bits;
/// - the streaming reader and writer, at any block and batch size, agree with both.
///
/// The tables come from a seeded generator (SplitMix64), so a failure names its seed and
/// case and reproduces exactly: `MIRI_PROPERTY_SEED=… swift test --filter RoundTripProperty`.
@Suite("CSV round trip, as a property")
struct RoundTripPropertyTests {
    static let cases = 400
    static let seed = ProcessInfo.processInfo.environment["MIRI_PROPERTY_SEED"].flatMap { UInt64($0) } ?? 0x5EED_C5F

    /// SplitMix64: small, fast, and the same stream on every platform.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }
        mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }
    }

    /// A generated table: its text and what reading it must give.
    struct Case {
        var text: [UInt8]
        var names: [String]
        /// The header row as written, without byte order mark or line end.
        var headerText: String
        /// Each row's fields as written (raw text, quotes and blanks included).
        var fields: [[String]]
        /// Row-major, NaN where a marker was written.
        var values: [Float]
        var lineEnd: String
    }

    /// Any finite Float: random bits (subnormals and extremes included), or a small decimal.
    static func value(_ g: inout Generator) -> Float {
        if g.chance(0.3) { return Float(g.below(2001) - 1000) / Float(g.pick([1, 10, 100, 1000])) }
        while true {
            let v = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            if v.isFinite { return v }
        }
    }

    /// One of the spellings that read back to exactly `v`, maybe padded or quoted.
    static func spelling(_ v: Float, _ g: inout Generator) -> String {
        var text: String
        switch g.below(6) {
        case 0: text = v.description                                    // shortest: 0.1, 1e-45, -0.0
        case 1: text = String(format: "%.9g", Double(v))                // 9 digits always round-trip binary32
        case 2: text = String(format: "%.9e", Double(v))
        case 3: text = String(format: "%.9E", Double(v)).replacingOccurrences(of: "E+", with: "E")
        case 4: text = String(format: "%.17g", Double(v))               // the exact double, more digits than needed
        default:                                                        // leading "+" or a bare ".5"
            text = String(format: "%.9g", Double(v))
            if text.hasPrefix("0.") { text.removeFirst() } else if !text.hasPrefix("-") { text = "+" + text }
        }
        if g.chance(0.15) { text = g.pick([" ", "\t", "  "]) + text + g.pick(["", " ", "\t"]) }
        if g.chance(0.1) { text = "\"" + text + "\"" }
        return text
    }

    static func marker(_ g: inout Generator, allowBare: Bool) -> String {
        let marker = g.pick(allowBare ? ["", "NA", "NaN", "nan", "?"] : ["NA", "NaN", "nan", "?"])
        return g.chance(0.2) ? g.pick([" ", "\t"]) + marker + g.pick(["", " "]) : marker
    }

    /// A column name and its field text: plain, or quoted with anything inside.
    static func name(_ g: inout Generator, column: Int) -> (name: String, field: String) {
        if g.chance(0.6) { return ("c\(column)" + g.pick(["", "_x", " é", "Ω"]), "") }
        let name = g.pick(["a,b", "say \"hi\"", " padded ", "two\nlines", "x\r\ny", "", "ü,\"", "c\(column)"])
        return (name, "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
    }

    static func makeCase(_ g: inout Generator) -> Case {
        let columns = 1 + g.below(6), rows = 1 + g.below(25)
        let lineEnd = g.chance(0.5) ? "\n" : "\r\n"
        var names: [String] = [], headerFields: [String] = []
        for j in 0..<columns {
            let (name, field) = Self.name(&g, column: j)
            names.append(name)
            headerFields.append(field.isEmpty ? name : field)
        }
        let missingRate = g.pick([0.0, 0.1, 0.4, 0.8])
        var fields: [[String]] = [], values: [Float] = []
        // One observed cell per column, so the table is imputable; the rest at random.
        let anchors = (0..<columns).map { _ in g.below(rows) }
        for i in 0..<rows {
            var row: [String] = []
            for j in 0..<columns {
                if anchors[j] != i && g.chance(missingRate) {
                    // A bare empty cell in a one-column table is a blank line, which at the end
                    // of the file is ignored (editors add them): never write one last.
                    row.append(marker(&g, allowBare: columns > 1 || i < rows - 1))
                    values.append(.nan)
                } else {
                    let v = value(&g)
                    row.append(spelling(v, &g))
                    values.append(v)
                }
            }
            fields.append(row)
        }
        let headerText = headerFields.joined(separator: ",")
        var text = (g.chance(0.1) ? "\u{FEFF}" : "") + headerText + lineEnd
        text += fields.map { $0.joined(separator: ",") }.joined(separator: lineEnd)
        if g.chance(0.8) { text += lineEnd }
        return Case(text: Array(text.utf8), names: names, headerText: headerText, fields: fields, values: values, lineEnd: lineEnd)
    }

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test("read, write, read again: same bits, same observed text, streaming agrees")
    func roundTrip() throws {
        var g = Generator(state: Self.seed)
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for n in 0..<Self.cases {
            let c = Self.makeCase(&g)
            let label = "seed \(Self.seed), case \(n): \(String(decoding: c.text, as: UTF8.self).debugDescription)"
            let table = try CSVTable.read(bytes: c.text, source: "t.csv")
            #expect(table.header == c.names, "\(label)")
            #expect(Self.sameBits(table.values.storage, c.values), "\(label)")

            // Fill every missing cell; the output is the input with only the markers replaced.
            var imputed = table.values
            for k in 0..<imputed.count where imputed.storage[k].isNaN { imputed.storage[k] = Self.value(&g) }
            var expected = c.headerText + c.lineEnd
            for (i, row) in c.fields.enumerated() {
                let cells = row.enumerated().map { j, field in
                    c.values[i * row.count + j].isNaN ? imputed.storage[i * row.count + j].description : field
                }
                expected += cells.joined(separator: ",") + c.lineEnd
            }
            let written = try table.csvBytes(imputed: imputed)
            #expect(String(decoding: written, as: UTF8.self) == expected, "\(label)")
            let back = try CSVTable.read(bytes: written, source: "out.csv")
            #expect(back.missingCount == 0 && Self.sameBits(back.values.storage, imputed.storage), "\(label)")

            // The streaming reader at a random block and batch size, and the streaming writer.
            let input = folder + "/in.csv"
            try Data(c.text).write(to: URL(fileURLWithPath: input))
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
            defer { try? handle.close() }
            let reader = try CSVReader(fileHandle: handle, source: "in.csv", batchRows: 1 + g.below(7), blockSize: 1 + g.below(40))
            var streamed: [Float] = [], out: [UInt8] = []
            try AtomicFile.write(to: folder + "/out.csv") { output in
                let writer = CSVWriter(fileHandle: output, destination: "out.csv")
                while let batch = try reader.nextBatch() {
                    let start = streamed.count
                    streamed += batch.values.storage
                    let slice = Array(imputed.storage[start..<(start + batch.values.count)])
                    try writer.write(batch, imputed: Matrix(rows: batch.values.rows, cols: batch.values.cols, storage: slice))
                }
            }
            out = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/out.csv")))
            #expect(Self.sameBits(streamed, c.values), "streamed: \(label)")
            #expect(out == written, "streamed writer: \(label)")
        }
    }
}
