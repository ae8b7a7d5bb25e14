import TestSupport
import Foundation
import Testing

/// `--seed` reaches MICE through `impute` as it does through `fit`: on a table wide enough for
/// the automatic nearest-feature limit, the seed picks each regression's features.
@Suite struct MICESeedTests {
    /// 60 rows of 104 numeric columns (past MICE's automatic width of 100), about a tenth missing.
    static func wideTable() -> String {
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let columns = 104
        var lines = [(0..<columns).map { "c\($0)" }.joined(separator: ",")]
        for _ in 0..<60 {
            let base = next()
            lines.append((0..<columns).map { j in
                next() < 0.1 ? "" : String(format: "%.4f", base * Double(j % 7 + 1) + next())
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("impute --method mice --seed N equals fit --seed N -o on a wide table, and differs between seeds")
    func imputeFollowsSeed() throws {
        let scratch = try Scratch()
        let input = try scratch.write("wide.csv", Self.wideTable())
        for seed in ["1", "2"] {
            let impute = try Tool.run(["impute", input, "--method", "mice", "--seed", seed, "-o", scratch.file("s\(seed).csv").path, "--quiet"])
            #expect(impute.status == 0, "\(impute.stderr)")
        }
        let fit = try Tool.run(["fit", input, "--method", "mice", "--seed", "1", "--model", scratch.file("m.mice").path,
                                "-o", scratch.file("f1.csv").path, "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let s1 = try scratch.read("s1.csv")
        #expect(s1 == (try scratch.read("f1.csv")), "impute --seed 1 writes fit --seed 1's table")
        #expect(s1 != (try scratch.read("s2.csv")), "seeds 1 and 2 pick different features")
    }
}
