import Foundation
import Testing
import Linalg
import TableIO

/// Imputed cells are printed shortest and must read back to the same bits; the scanner must
/// agree with the standard library's correctly rounded parser on every spelling.
@Suite("Float text round trips")
struct FloatTextTests {
    /// Writes `values` as a one-column table built in code and reads it back.
    func roundTrip(_ values: [Float]) throws -> (text: String, back: [Float]) {
        let table = CSVTable(header: ["v"], values: Matrix(rows: values.count, cols: 1, storage: values))
        let bytes = try table.csvBytes(imputed: table.values)
        return (String(decoding: bytes, as: UTF8.self), try CSVTable.read(bytes: bytes, source: "floats.csv").values.storage)
    }

    @Test("extremes, subnormals, signed zero, powers of ten")
    func extremes() throws {
        var values: [Float] = [
            0, -0.0, 1, -1, 0.1, 1 / 3, .pi, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNormalMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude.nextDown, Float(bitPattern: 0x0040_0000), 16_777_215, 16_777_216, 16_777_218, 1e10, 1e-10,
        ]
        for e in -45...38 { values.append(Float("1e\(e)")!) }
        let (text, back) = try roundTrip(values)
        #expect(zip(values, back).allSatisfy { $0.bitPattern == $1.bitPattern })
        #expect(!text.lowercased().contains("nan") && !text.lowercased().contains("inf"))
    }

    @Test("random bit patterns, all finite ones, including subnormals")
    func randomBits() throws {
        var random = SystemRandomNumberGenerator()
        var values: [Float] = []
        while values.count < 200_000 {
            let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random))
            if value.isFinite { values.append(value) }
        }
        for _ in 0..<20_000 {   // subnormals are rare among random bit patterns
            values.append(Float(bitPattern: UInt32.random(in: 1..<0x0080_0000, using: &random) | (random.next() & 0x8000_0000 == 0 ? 0 : 0x8000_0000)))
        }
        let (_, back) = try roundTrip(values)
        #expect(back.count == values.count)
        #expect(zip(values, back).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test("the scanner matches Float(String) on random decimals of every length")
    func scannerMatchesStandardLibrary() throws {
        var random = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<100_000 {
            let digits = Int.random(in: 1...25, using: &random)
            var mantissa = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            if Bool.random(using: &random) { mantissa.insert(".", at: mantissa.index(mantissa.startIndex, offsetBy: Int.random(in: 0...digits, using: &random))) }
            let exponent = Int.random(in: -50...40, using: &random)
            let sign = ["", "-", "+"][Int.random(in: 0...2, using: &random)]
            let text = "\(sign)\(mantissa)e\(exponent)"
            if let value = Float(text), value.isFinite { texts.append(text) }
        }
        // Float midpoints, where a double-rounding shortcut would go wrong: x.5 ulp exactly.
        for _ in 0..<5_000 {
            let f = Float(bitPattern: UInt32.random(in: 0x0080_0000...0x7F00_0000, using: &random))
            let midpoint = (Double(f) + Double(f.nextUp)) / 2
            for digits in [15, 16, 17, 40] { texts.append(String(format: "%.\(digits)g", midpoint)) }
        }
        let table = try CSVTable.read(bytes: Array(("v\n" + texts.joined(separator: "\n")).utf8), source: "decimals.csv")
        let wrong = zip(texts, table.values.storage).filter { Float($0)!.bitPattern != $1.bitPattern }
        #expect(wrong.isEmpty, "first: \(wrong.prefix(5))")
    }
}

/// The writer refuses a non-finite value where a missing cell's imputation goes, naming the
/// cell, instead of trapping (issue 14, defect 1).
@Suite("Writing a non-finite imputation")
struct NonFiniteWriteTests {
    @Test("a table read from CSV: the error names the line and column", arguments: [Float.infinity, -.infinity, .nan])
    func readTable(_ value: Float) throws {
        let table = try readCSV("a,b\n1,2\n3,\n")
        #expect(throws: UnwritableValue(line: 3, column: 2, columnName: "b", value: value.isNaN ? .nan : value)) {
            try table.csvBytes(imputed: Matrix([[1, 2], [3, value]]))
        }
    }

    @Test("a table built in code, and the streaming writer, refuse it too")
    func builtAndStreamed() throws {
        let built = CSVTable(header: ["x"], values: Matrix([[Float.nan]]))
        #expect(throws: UnwritableValue.self) { try built.csvBytes(imputed: Matrix([[Float.infinity]])) }
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: UnwritableValue.self) {
            try AtomicFile.write(to: folder + "/out.csv") { handle in
                try CSVWriter(fileHandle: handle, destination: "out.csv").write(built, imputed: Matrix([[-Float.infinity]]))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("the message")
    func message() {
        #expect(UnwritableValue(line: 3, column: 2, columnName: "b", value: .infinity).description
                == "line 3, column 2 (\"b\"): the imputed value inf is not a finite number, so it cannot be written")
    }
}
