import Foundation
import Imputation
import Linalg
import TableIO
import TestSupport
import Testing
@testable import MIRI

/// `StreamingImputation` as a library caller uses it (no CLI): a CSV stream through a fitted
/// model in row batches, checked against completing the whole table at once.
@Suite("StreamingImputation: batches, draws and averages, as the whole table")
struct StreamingImputationTests {
    /// 50 rows of three correlated columns (a shared factor plus noise), about a quarter of the
    /// cells missing, none of the columns entirely.
    static let table: Matrix = {
        var random = RandomSource(seed: 3)
        var m = Matrix(rows: 50, cols: 3)
        for i in 0..<50 {
            let factor = random.normal()
            for j in 0..<3 { m[i, j] = Float(factor + 0.6 * random.normal() + Double(j)) }
            for j in 0..<3 where random.uniform() < 0.25 && i > 0 { m[i, j] = .nan }
        }
        return m
    }()
    static let header = ["a", "b", "c"]

    /// A tiny MIRI: two rounds of a few steps, ODE row blocks of 8 (so batches must be multiples of 8).
    static let tinyMIRI = MIRIConfiguration(rounds: 2, epochs: 2, batchSize: 16, odeSteps: 3, hiddenWidths: [16],
                                            learningRate: 1e-3, seed: 9, odeBlockRows: 8, chainRows: 64)

    /// The table as CSV text, missing cells empty.
    static func csv(_ m: Matrix) -> String {
        var text = header.joined(separator: ",") + "\n"
        for i in 0..<m.rows {
            text += (0..<m.cols).map { m[i, $0].isNaN ? "" : "\(m[i, $0])" }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Runs `stream` over the table in batches of `batchRows`; the text of each output.
    static func run(_ stream: StreamingImputation, batchRows: Int, in scratch: Scratch) throws -> [String] {
        let input = try scratch.write("in.csv", csv(table))
        let reader = try CSVReader(path: input, batchRows: batchRows)
        var paths: [URL] = []
        var writers: [CSVWriter] = []
        for k in 0..<stream.outputs {
            let url = scratch.file("out\(k).csv")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            paths.append(url)
            writers.append(CSVWriter(fileHandle: try FileHandle(forWritingTo: url), destination: url.path))
        }
        var current: CSVTable?
        let totals = try stream.run(reader, writers: writers, current: &current)
        #expect(totals.rows == table.rows)
        #expect(totals.batches == (table.rows + batchRows - 1) / batchRows)
        return try paths.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    /// The CSV the tool writes for a completed table: observed cells as read, imputed as Float text.
    static func expected(_ completed: Matrix) throws -> String {
        let read = try CSVTable.read(bytes: Array(csv(table).utf8), source: "in.csv")
        return String(decoding: try read.csvBytes(imputed: completed), as: UTF8.self)
    }

    @Test("mean model: every missing cell is its column's observed mean, whatever the batch size")
    func meanModel() throws {
        let scratch = try Scratch()
        let model = try MeanImputer(compute: ComputeContext(threads: 1)).fit(Self.table)
        // The independent truth: each column's mean over its observed cells, in Double, as Float.
        var completed = Self.table
        for j in 0..<completed.cols {
            let seen = (0..<completed.rows).map { Self.table[$0, j] }.filter { !$0.isNaN }
            let mean = Float(seen.reduce(0.0) { $0 + Double($1) } / Double(seen.count))
            for i in 0..<completed.rows where completed[i, j].isNaN { completed[i, j] = mean }
        }
        for batchRows in [1, 7, 50, 64] {
            let out = try Self.run(StreamingImputation(model: model), batchRows: batchRows, in: scratch)
            #expect(out == [try Self.expected(completed)], "batch \(batchRows)")
        }
    }

    @Test("MIRI model: batches of the model's row multiple give the whole table's transform, bit for bit")
    func miriBatches() throws {
        let scratch = try Scratch()
        let model = try MIRIImputer(configuration: Self.tinyMIRI, compute: ComputeContext(threads: 1)).fit(Self.table)
        var random = RandomSource(seed: FittedMIRI.drawSeed(model.defaultSeed, draw: 1))
        let whole = try model.transform(Self.table, random: &random, shouldStop: nil).imputed
        let rows = StreamingImputation.batchRows(for: model, requested: 20)
        #expect(rows == 16)
        let out = try Self.run(StreamingImputation(model: model), batchRows: rows, in: scratch)
        #expect(out == [try Self.expected(whole)])
    }

    @Test("MIRI draws: draw k is the whole table's draw k; --average is their entrywise mean")
    func miriDrawsAndAverage() throws {
        let scratch = try Scratch()
        let model = try MIRIImputer(configuration: Self.tinyMIRI, compute: ComputeContext(threads: 1)).fit(Self.table)
        let draws = try model.draws(Self.table, count: 3, seed: 21)
        let separate = try Self.run(StreamingImputation(model: model, draws: 3, seed: 21), batchRows: 16, in: scratch)
        #expect(separate == (try draws.map(Self.expected)))
        #expect(draws[0] != draws[1])
        // The mean, computed here cell by cell (observed cells untouched).
        var mean = Self.table
        for k in 0..<mean.count where mean.storage[k].isNaN {
            mean.storage[k] = draws.map { $0.storage[k] }.reduce(0, +) / 3
        }
        let averaged = try Self.run(StreamingImputation(model: model, draws: 3, average: true, seed: 21), batchRows: 16, in: scratch)
        #expect(averaged.count == 1)
        let read = try CSVTable.read(bytes: Array(averaged[0].utf8), source: "avg.csv")
        for k in 0..<mean.count { #expect(abs(read.values.storage[k] - mean.storage[k]) <= 1e-6 * max(1, abs(mean.storage[k]))) }
    }

    @Test("a header that does not fit the model is refused before any row is read")
    func mismatch() throws {
        let model = try MeanImputer(compute: ComputeContext(threads: 1)).fit(Self.table)
        var named = model
        named.columnNames = Self.header
        let stream = StreamingImputation(model: named)
        #expect(stream.mismatch(header: Self.header) == nil)
        #expect(stream.mismatch(header: ["a", "b"]) == .columns(expected: 3, got: 2))
        #expect(stream.mismatch(header: ["a", "x", "c"]) == .columnName(column: 1, expected: "b", got: "x"))
    }
}
