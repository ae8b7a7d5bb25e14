import TestSupport
import Foundation
import Testing

/// `miri fit` + `miri apply` on a real table: the model keeps the kinds and categories, so apply
/// on the training table writes exactly what `miri impute` writes.
@Suite struct MixedFitApplyTests {
    static func version(_ data: Data) -> UInt8 { data[8] }

    @Test("fit then apply on the training table writes impute's bytes (id, text category, integer, numbers)",
          arguments: ["miri", "mice"])
    func applyReproducesImpute(_ method: String) throws {
        let scratch = try Scratch()
        let input = try scratch.write("mixed.csv", MixedTableTests.table)
        let flags = ["--method", method, "--quiet"] + (method == "miri" ? ["--seed", "11"] + Tool.tinyMIRI : ["--threads", "1"])
        let impute = try Tool.run(["impute", input, "-o", scratch.file("impute.csv").path] + flags)
        #expect(impute.status == 0, "\(impute.stderr)")
        let model = scratch.file("m.model").path
        let fit = try Tool.run(["fit", input, "--model", model, "-o", scratch.file("fit.csv").path] + flags)
        #expect(fit.status == 0, "\(fit.stderr)")
        let expected = try scratch.read("impute.csv")
        #expect(try scratch.read("fit.csv") == expected, "fit --output is impute's table")
        // MIRI's default keeps 4 members: version 3, which holds the kinds as 2 does.
        #expect(Self.version(try Data(contentsOf: URL(fileURLWithPath: model))) == (method == "miri" ? 3 : 2), "a model with kinds")
        // One batch, and batches of 16 rows (MICE; MIRI rounds batches to its ODE blocks).
        for extra in [[], ["--batch-rows", "16"]] {
            let apply = try Tool.run(["apply", model, input, "-o", scratch.file("apply.csv").path, "--threads", "1", "--quiet"] + extra)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(try scratch.read("apply.csv") == expected, "apply \(extra)")
        }
        // Independent of the above: the id column is untouched and integers are written as integers.
        let rows = csvRows(expected)
        #expect(rows.dropFirst().enumerated().allSatisfy { $0.element[0] == "u\($0.offset)" && Int($0.element[2]) != nil })
    }

    @Test("--no-round-integers is kept in the model")
    func keepsFractions() throws {
        let scratch = try Scratch()
        let text = "k,c,n\nr1,a,1\nr2,b,2\nr3,a,\nr4,,4\nr5,a,2\n"
        let input = try scratch.write("t.csv", text)
        let fit = try Tool.run(["fit", input, "--model", scratch.file("m.mice").path, "--method", "mice", "--no-round-integers", "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let apply = try Tool.run(["apply", scratch.file("m.mice").path, input, "--quiet"])
        #expect(apply.status == 0, "\(apply.stderr)")
        let n = csvRows(apply.stdoutText)[3][2]
        #expect(Float(n) != nil && Int(n) == nil, "r3's n keeps its fraction: \(n)")
    }

    @Test("a model of numbers only and one member stays format version 1; several members make it version 3")
    func numericStaysVersion1() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", "a,b\n1.5,2.25\n,3.5\n2.5,\n3.75,4.5\n0.5,1.25\n")
        for (method, extra, version) in [("miri", ["--members", "1"], 1), ("mice", [], 1), ("miri", [], 3)] {
            let model = scratch.file("m.\(method)").path
            let fit = try Tool.run(["fit", input, "--model", model, "--method", method, "--quiet"] + (method == "miri" ? Tool.tinyMIRI : []) + extra)
            #expect(fit.status == 0, "\(fit.stderr)")
            #expect(Self.version(try Data(contentsOf: URL(fileURLWithPath: model))) == version, "\(method) \(extra)")
        }
    }

    @Test("a version-1 model written before kinds existed still applies")
    func oldModelApplies() throws {
        let old = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/corpus/model/fast-2col.miri")
        #expect(Self.version(try Data(contentsOf: old)) == 1)
        let input = "a,b\n1.5,\n,2.5\n3,4\n"
        let apply = try Tool.run(["apply", old.path, "-", "--quiet"], input: Data(input.utf8))
        #expect(apply.status == 0, "\(apply.stderr)")
        let rows = csvRows(apply.stdoutText)
        #expect(rows.count == 4 && rows[0] == ["a", "b"] && rows[1][0] == "1.5" && rows[2][1] == "2.5" && rows[3] == ["3", "4"])
        #expect(Float(rows[1][1])?.isFinite == true && Float(rows[2][0])?.isFinite == true)
    }

    @Test("apply: an unseen category is kept as written, counted in a note; text in an integer column is an error")
    func unseenCategory() throws {
        let scratch = try Scratch()
        let model = scratch.file("m.mice").path
        let fit = try Tool.run(["fit", try scratch.write("train.csv", MixedTableTests.table), "--model", model, "--method", "mice", "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let new = "id,colour,count,x,y\nv1,purple,3,1.5,\nv2,,2,,2.0\nv3,purple,,0.5,1.0\nv4,teal,1,2.0,3.0\n"
        let apply = try Tool.run(["apply", model, "-"], input: Data(new.utf8))
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("miri: 3 observed cell(s) hold a category the model never saw; kept as written, "
                                      + "and treated as missing in the imputation's inputs\n"), "\(apply.stderr)")
        let rows = csvRows(apply.stdoutText)
        #expect(rows[1][1] == "purple" && rows[3][1] == "purple" && rows[4][1] == "teal")
        #expect(MixedTableTests.colours.contains(rows[2][1]), "a missing category gets an observed one: \(rows[2][1])")
        #expect(Int(rows[3][2]) != nil && Float(rows[1][4]) != nil)
        let quiet = try Tool.run(["apply", model, "-", "--quiet"], input: Data(new.utf8))
        #expect(quiet.stderr.isEmpty)
        let seen = try Tool.run(["apply", model, "-"], input: Data("id,colour,count,x,y\nw,red,,1,2\n".utf8))
        #expect(seen.status == 0 && !seen.stderr.contains("never saw"), "\(seen.stderr)")

        let bad = try Tool.run(["apply", model, "-", "--quiet"], input: Data("id,colour,count,x,y\nw,red,lots,1,2\n".utf8))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("line 2, column 3 (\"count\"): cannot read \"lots\" as a number"), "\(bad.stderr)")
        let names = try Tool.run(["apply", model, "-", "--quiet"], input: Data("id,colour,n,x,y\nw,red,1,1,2\n".utf8))
        #expect(names.status == 2 && names.stderr.contains("column 3 is \"n\""), "\(names.stderr)")
        let count = try Tool.run(["apply", model, "-", "--quiet"], input: Data("colour,count,x,y\nred,1,1,2\n".utf8))
        #expect(count.status == 2 && count.stderr.contains("4 columns, but the model"), "\(count.stderr)")
    }
}
