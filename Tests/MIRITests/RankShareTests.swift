import Evaluation
import Foundation
import Testing
import Imputation
import Linalg
import TableIO
import TestSupport
@testable import MIRI

@Suite("A stream completed by several ranks")
struct RankShareTests {
    @Test("the parts of P ranks joined in batch order are the one-process output, byte for byte", arguments: [1, 2, 3, 5])
    func joined(size: Int) throws {
        let scratch = try Scratch()
        var random = RandomSource(seed: 2)
        var config = MIRIConfiguration.fast
        config.rounds = 2
        config.stepsPerRound = 20
        config.odeBlockRows = 8
        let truth = SyntheticTables.copula(rows: 100, random: &random)
        let masked = MCARMask.apply(truth, rate: 0.3, seed: 1).masked
        let model = try MIRIImputer(configuration: config, compute: ComputeContext(threads: 1)).fit(masked)
        var text = "a,b,c,d,e,f\n"
        for i in 0..<masked.rows {
            text += (0..<masked.cols).map { masked[i, $0].isNaN ? "" : "\(masked[i, $0])" }.joined(separator: ",") + "\n"
        }
        let input = try scratch.write("in.csv", text)
        for draws in [1, 2] {
            let stream = StreamingImputation(model: model, draws: draws, average: draws > 1, seed: 11)
            let rows = StreamingImputation.batchRows(for: model, requested: 16)

            // One process.
            let whole = scratch.file("whole.csv").path
            #expect(FileManager.default.createFile(atPath: whole, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: whole))
            var current: CSVTable?
            _ = try stream.run(try CSVReader(path: input, batchRows: rows), writers: [CSVWriter(fileHandle: handle, destination: whole)],
                               current: &current)
            try handle.close()

            // P ranks, one after another (no collective is involved), then rank 0's join.
            var shares: [StreamingImputation.RankShare] = []
            var parts: [String] = []
            for rank in 0..<size {
                let part = scratch.file("part\(rank)").path
                #expect(FileManager.default.createFile(atPath: part, contents: nil))
                let h = try #require(FileHandle(forWritingAtPath: part))
                shares.append(try stream.runShare(try CSVReader(path: input, batchRows: rows), parts: [h], partNames: [part],
                                                  rank: rank, size: size, current: &current))
                try h.close()
                parts.append(part)
            }
            #expect(shares[0].batches == 7)
            let joined = scratch.file("joined.csv").path
            #expect(FileManager.default.createFile(atPath: joined, contents: nil))
            let out = try #require(FileHandle(forWritingAtPath: joined))
            try StreamingImputation.join(header: shares[0].header, parts: parts, lengths: shares.map { $0.lengths[0] },
                                         batches: shares[0].batches, into: out, named: joined)
            try out.close()
            #expect(try Data(contentsOf: URL(fileURLWithPath: joined)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        }
    }
}
