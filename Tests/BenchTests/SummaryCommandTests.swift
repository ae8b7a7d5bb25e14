import TestSupport
import Foundation
import Testing

/// `miri-bench summary` on hand-made results.json files, laid out as scripts/mechanisms.sh writes them.
@Suite struct SummaryCommandTests {
    static func row(_ dataset: String, _ method: String, _ seed: Int, mechanism: String, rmse: Double, bias: Double,
                    nn: Double?) -> String {
        "{\"dataset\": \"\(dataset)\", \"method\": \"\(method)\", \"seed\": \(seed), \"rmse\": \(rmse), \"mae\": 0.5, "
            + "\"mmd\": 0.01, \"w1\": 0.2, \"seconds\": 0.1, \"status\": \"ok\", "
            + "\"note\": \"\(nn == nil ? "nn_ratio undefined: no complete row" : "")\", \"missing_rate\": 0.3, "
            + "\"mechanism\": \"\(mechanism)\", \"rate\": 0.4, \"bias\": \(bias), \"nn_ratio\": \(nn.map { "\($0)" } ?? "null")}"
    }

    @Test("One table per mechanism; mean ± sample std over seeds; undefined NN ratio shown as – with its note; .part skipped")
    func handWorked() throws {
        let scratch = try Scratch()
        // mar/mean on wine, seeds 1 and 2: RMSE 1.0 and 1.2 → mean 1.1, sample std √((0.1² + 0.1²)/1) = 0.1414;
        // bias −0.5 and −0.3 → −0.4 ± 0.1414; NN ratio 0.9 and 1.1 → 1.000 ± 0.141.
        try scratch.write("m/mar/mean/results.json", "[" + [
            Self.row("wine", "mean", 1, mechanism: "mar", rmse: 1.0, bias: -0.5, nn: 0.9),
            Self.row("wine", "mean", 2, mechanism: "mar", rmse: 1.2, bias: -0.3, nn: 1.1),
        ].joined(separator: ",\n") + "]\n")
        // mnar-self/knn on a wide table without complete rows: one seed, no NN ratio.
        try scratch.write("m/mnar-self/knn/results.json", "[" + Self.row("wide", "knn", 1, mechanism: "mnar-self", rmse: 0.8,
                                                                           bias: 0.25, nn: nil) + "]\n")
        // kNN on wine in a folder read before mean's (paths sort "knn" < "mean"): listed after mean all the same.
        try scratch.write("m/mar/knn/results.json", "[" + Self.row("wine", "knn", 1, mechanism: "mar", rmse: 0.7, bias: 0, nn: 1) + "]\n")
        // An unfinished run: must not be read.
        try scratch.write("m/mar/knn.part/results.json", "[" + Self.row("wine", "knn", 1, mechanism: "mar", rmse: 9, bias: 9, nn: 9) + "]\n")

        let run = try Bench.run(["summary", scratch.file("m").path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let text = try scratch.read("m/summary.md")
        #expect(run.stdout == text)
        #expect(text.contains("From 3 results.json file(s)"))
        #expect(text.contains("## mar, rate 0.4\n"))
        #expect(text.contains("| wine | mean | 1.1000 ± 0.1414 | 0.01000 ± 0.00000 | 0.2000 ± 0.0000 | -0.4000 ± 0.1414 | 1.000 ± 0.141 | 1,2 |  |"),
                "\(text)")
        #expect(text.range(of: "| wine | mean |")!.lowerBound < text.range(of: "| wine | knn | 0.7000")!.lowerBound)
        #expect(text.contains("## mnar-self, rate 0.4\n"))
        #expect(text.contains("| wide | knn | 0.8000 | 0.01000 | 0.2000 | 0.2500 | – | 1 | seed 1: nn_ratio undefined: no complete row |"), "\(text)")
        #expect(!text.contains("9.0000"), ".part folders are skipped")
        #expect(text.range(of: "## mar,")!.lowerBound < text.range(of: "## mnar-self,")!.lowerBound)
    }

    @Test func noResultsIsAnError() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(at: scratch.file("empty"), withIntermediateDirectories: true)
        let run = try Bench.run(["summary", scratch.file("empty").path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("no results.json"), "stderr: \(run.stderr)")
    }
}
