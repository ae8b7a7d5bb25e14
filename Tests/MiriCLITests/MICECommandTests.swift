import TestSupport
import Foundation
import Testing

/// `--method mice` in `miri impute` and `miri fit`, and MICE models in `miri apply`, run as processes.
@Suite struct MICECommandTests {
    @Test("impute, fit --output and apply (whole or in batches of 100) write the same table")
    func imputeFitApplyAgree() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", FitApplyTests.table(rows: 1000))
        let impute = try Tool.run(["impute", input, "--method", "mice", "-o", scratch.file("impute.csv").path])
        #expect(impute.status == 0, "\(impute.stderr)")
        #expect(impute.stderr.contains("with mice"), "\(impute.stderr)")
        let model = scratch.file("m.mice").path
        let fit = try Tool.run(["fit", input, "--method", "mice", "--model", model, "-o", scratch.file("fit.csv").path, "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let expected = try scratch.read("impute.csv")
        #expect(try scratch.read("fit.csv") == expected)
        for extra in [[], ["--batch-rows", "100"]] {
            let apply = try Tool.run(["apply", model, input, "-o", scratch.file("apply.csv").path, "--quiet"] + extra)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(try scratch.read("apply.csv") == expected, "apply \(extra)")
        }
        // The observed cells keep their text; every missing one is a number.
        let before = csvRows(FitApplyTests.table(rows: 1000)), after = csvRows(expected)
        for i in 1..<before.count {
            for j in 0..<3 {
                if missingMarkers.contains(before[i][j]) {
                    #expect(Float(after[i][j])?.isFinite == true)
                } else {
                    #expect(after[i][j] == before[i][j])
                }
            }
        }
    }

    @Test("apply --draws: posterior predictive draws that repeat with the seed (default: fit's --seed) and differ from the point imputation")
    func draws() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", FitApplyTests.table(rows: 300))
        let model = scratch.file("m.mice").path
        #expect(try Tool.run(["fit", input, "--method", "mice", "--model", model, "--seed", "9", "--quiet"]).status == 0)
        let run = try Tool.run(["apply", model, input, "-o", scratch.file("d.csv").path, "--draws", "2", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let again = try Tool.run(["apply", model, input, "-o", scratch.file("e.csv").path, "--draws", "2", "--seed", "9", "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let d1 = try scratch.read("d.1.csv"), d2 = try scratch.read("d.2.csv")
        #expect(d1 != d2)
        #expect(try scratch.read("e.1.csv") == d1 && scratch.read("e.2.csv") == d2, "the fit's --seed is the default")
        let point = try Tool.run(["apply", model, input, "--quiet"])
        #expect(point.status == 0 && point.stdoutText != d1)
    }

    @Test("fit --method mice on a complete table; its model fills any column of new rows")
    func completeTraining() throws {
        let scratch = try Scratch()
        var lines = FitApplyTests.table(rows: 400).split(separator: "\n").map(String.init)
        lines = lines.filter { !$0.contains(",,") && !$0.hasSuffix(",") && !$0.hasPrefix(",") && !$0.contains("NA") && !$0.contains("?") }
        let input = try scratch.write("complete.csv", lines.joined(separator: "\n") + "\n")
        let model = scratch.file("m.mice").path
        let fit = try Tool.run(["fit", input, "--method", "mice", "--model", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        let fresh = "a,b,c\n,2,-1\n1,,-1\n1,2,\n"
        let run = try Tool.run(["apply", model, "-"], input: Data(fresh.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let rows = csvRows(run.stdoutText)
        #expect(rows.count == 4)
        for (i, j) in [(1, 0), (2, 1), (3, 2)] { #expect(Float(rows[i][j])?.isFinite == true, "\(rows[i])") }
        // The columns move together (b ≈ 2a, c ≈ −a): a from b = 2 and c = −1 is near 1.
        #expect(abs((Float(rows[1][0]) ?? 0) - 1) < 0.3, "\(rows[1])")
    }

    @Test("bad input gets impute's answer with --method mice too: exit 2 naming the place, nothing written", arguments: BadInputTests.cases)
    func badInput(_ c: BadInputTests.Case) throws {
        let scratch = try Scratch()
        let input = try scratch.write("bad.csv", c.text)
        for command in [["impute", input, "--method", "mice", "-o", scratch.file("out.csv").path],
                        ["fit", input, "--method", "mice", "--model", scratch.file("m.mice").path]] {
            let run = try Tool.run(command)
            #expect(run.status == 2, "\(command[0]): \(run.stderr)")
            #expect(run.stderr.hasPrefix("miri: error: \(input): \(c.place)"), "\(command[0]): \(run.stderr)")
            #expect(try scratch.listing() == ["bad.csv"], "no output and no temporary file")
        }
    }

    @Test("an imputation beyond Float's range: exit 2 naming the line and column, nothing written")
    func outOfRange() throws {
        let scratch = try Scratch()
        let input = try scratch.write("huge.csv", "a,b,y\n1e38,1e38,2e38\n2e38,0,2e38\n0,1e38,1e38\n3e38,3e38,\n")
        let run = try Tool.run(["impute", input, "--method", "mice", "-o", scratch.file("out.csv").path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("miri: error: \(input): line 5, column 3 (\"y\"): MICE imputed"), "\(run.stderr)")
        #expect(try scratch.listing() == ["huge.csv"])
    }

    @Test("MIRI-only flags are refused or named as ignored with --method mice")
    func miriFlags() throws {
        let scratch = try Scratch()
        let input = try scratch.write("train.csv", FitApplyTests.table(rows: 100))
        let checkpoint = try Tool.run(["fit", input, "--method", "mice", "--model", scratch.file("m.mice").path, "--checkpoint", scratch.url.path])
        #expect(checkpoint.status == 64, "\(checkpoint.stderr)")
        let ignored = try Tool.run(["fit", input, "--method", "mice", "--model", scratch.file("m.mice").path, "--epochs", "3"])
        #expect(ignored.status == 0 && ignored.stderr.contains("--epochs do(es) not apply to --method mice; ignored"), "\(ignored.stderr)")
    }
}
