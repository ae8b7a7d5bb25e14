import Foundation
import Imputation
import Linalg
import Testing

/// Pooling completed tables in Double (numbers read as written), and the formula and column-list
/// grammar of `miri analyze` (R's conventions where they apply, one-line refusals otherwise).
@Suite("Pooling in Double; formulas and column lists")
struct PoolingDoubleTests {
    @Test("means of 100000001…100000006 pool to 100000002.75 in Double (a Float would round every value to 100000000 or 100000008)")
    func meansInDouble() throws {
        let first: [Double] = [100000001, 100000002, 100000003, 100000004]
        let second: [Double] = [100000001, 100000002, 100000003, 100000006]
        let tables = [first, second].map { CompletedTable(rows: 4, cols: 1, storage: $0) }
        let pooled = try #require(try MultipleImputation.pool(tables, estimand: .means([0]), names: ["y"]).first)
        // By hand, offsets from 100000000: table 1 mean 2.5, s² = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3;
        // table 2 mean 3, s² = (4 + 1 + 0 + 9)/3 = 14/3; U = s²/4; Q̄ = 2.75, Ū = (5/12 + 14/12)/2 = 19/24,
        // B = (0.25² + 0.25²)/1 = 0.125, T = Ū + 1.5·B.
        #expect(pooled.estimate == 100000002.75)
        #expect(abs(pooled.within - 19.0 / 24) < 1e-6)
        #expect(abs(pooled.between - 0.125) < 1e-6)
        #expect(abs(pooled.total - (19.0 / 24 + 1.5 * 0.125)) < 1e-6)
        #expect(pooled.completeDataDF == 3)
    }

    @Test("a regression on 1e9 plus small noise is not a constant predictor in Double; values near 1e-150 stay nonzero")
    func regressionInDouble() throws {
        // x = 1e9 + (1, 2, 3, 4, 5), y = 2·(x − 1e9) + e: the slope by hand is Sxy/Sxx.
        let e: [Double] = [0.1, -0.2, 0.05, 0.15, -0.1]
        func table(_ shift: Double) -> CompletedTable {
            var storage: [Double] = []
            for i in 0..<5 {
                let t = Double(i + 1)
                storage += [1e9 + t, 2 * t + e[i] + shift]
            }
            return CompletedTable(rows: 5, cols: 2, storage: storage)
        }
        let pooled = try MultipleImputation.pool([table(0), table(0.01)], estimand: .regression(response: 1, predictors: [0]), names: ["x", "y"])
        // x − x̄ = t − 3 for t = 1…5: Sxx = 10, Sxy = Σ (t − 3)·(2t + e).
        let sxx = 10.0
        var sxy = 0.0
        for i in 0..<5 {
            let t = Double(i + 1)
            sxy += (t - 3) * (2 * t + e[i])
        }
        #expect(abs(pooled[1].estimate - sxy / sxx) < 1e-6, "\(pooled[1].estimate)")

        // 1e-150 (a Float's 0): the mean by hand is 2.5e-150; its variance, near 1e-300, is still a Double.
        let tiny = [[1e-150, 2e-150, 4e-150], [1e-150, 3e-150, 4e-150]].map { CompletedTable(rows: 3, cols: 1, storage: $0) }
        let mean = try #require(try MultipleImputation.pool(tiny, estimand: .means([0])).first)
        #expect(abs(mean.estimate - 2.5e-150) < 1e-160 && mean.within > 0)
    }

    @Test("sums of squares beyond Double's range are refused, not printed as NaN")
    func overflowRefused() throws {
        let tables = [[1e300, -1e300, 1e300], [1e300, 1e300, -1e300]].map { CompletedTable(rows: 3, cols: 1, storage: $0) }
        #expect(throws: PoolingError.self) { try MultipleImputation.pool(tables, estimand: .means([0])) }
    }

    @Test("R's formula conventions: y ~ x1 + 1 and 1 + x1 keep the intercept, backticks hold ~ and +; the rest one-line refusals")
    func formulas() throws {
        let columns = ["y", "x1", "t~", "a + b"]
        #expect(try RegressionFormula("y ~ x1 + 1", columns: columns) == RegressionFormula(response: 0, predictors: [1]))
        #expect(try RegressionFormula("y ~ 1 + x1", columns: columns) == RegressionFormula(response: 0, predictors: [1]))
        #expect(try RegressionFormula("y ~ 1", columns: columns).predictors == [])
        #expect(try RegressionFormula("`t~` ~ x1 + `a + b`", columns: columns) == RegressionFormula(response: 2, predictors: [1, 3]))
        let refusals: [(String, String)] = [
            ("y ~", "the right side is empty"), ("y ~   ", "the right side is empty"),
            ("~ x1", "the response, left of ~, is missing"), (" ~ 1", "the response, left of ~, is missing"),
            ("y ~ x1 +", "a term is empty"), ("y ~ + x1", "a term is empty"),
            ("y ~ x1 ~ 1", "more than one ~"), ("y x1", "it has no ~"), ("y + x1 ~ 1", "the left side must be one column"),
            ("y ~ x1 - 1", "the intercept is always included"), ("y ~ 0 + x1", "the intercept is always included"),
            ("`y ~ x1", "a backtick is not closed"), ("y ~ ``", "one name per pair of backticks"), ("1 ~ x1", "the response, left of ~, is missing"),
        ]
        for (text, reason) in refusals {
            do {
                _ = try RegressionFormula(text, columns: columns)
                Issue.record("\(text) accepted")
            } catch let error as RegressionFormula.ParseError {
                #expect(error.description.contains(reason) && !error.description.contains("\n"), "\(text): \(error.description)")
            }
        }
    }

    @Test("column lists: names, blanks and backticks; an empty name or a repeated one refused")
    func columnLists() throws {
        let columns = ["y", "x1", "a,b"]
        #expect(try ColumnList.parse("y, x1", option: "--mean", columns: columns) == [0, 1])
        #expect(try ColumnList.parse("`a,b`,y", option: "--mean", columns: columns) == [2, 0])
        for (text, reason) in [("y,,x1", "a column name is empty"), ("", "a column name is empty"), ("y,", "a column name is empty"),
                               ("y,y", "lists \"y\" twice"), ("z", "unknown column \"z\""), ("`y", "a backtick is not closed")] {
            #expect(throws: RegressionFormula.ParseError.self) { try ColumnList.parse(text, option: "--mean", columns: columns) }
            do { _ = try ColumnList.parse(text, option: "--mean", columns: columns) } catch let error as RegressionFormula.ParseError {
                #expect(error.description.hasPrefix("--mean") && error.description.contains(reason), "\(text): \(error.description)")
            }
        }
    }
}
