import Flow
import Foundation
import Imputation
import Linalg
import Testing

/// MIRI's imputed categories are draws: on a category independent of the other columns, their
/// shares over the missing cells match the truth's, where a point imputer (the mode) cannot.
@Suite("categorical draws", .serialized)
struct CategoricalSharesTests {
    static let categories = ["a", "b", "c"], shares = [0.5, 0.3, 0.2]

    /// 1,500 rows: x, y = x + noise, and c drawn with `shares` independently of them; 40 % of c
    /// and 20 % of x missing. Returns the table and the true category of each masked c cell.
    static func table() -> (MixedTable, truth: [Int: String]) {
        var random = RandomSource(seed: 3)
        var rows: [[String?]] = [], truth: [Int: String] = [:]
        for i in 0..<1500 {
            let x = random.normal(), y = x + 0.5 * random.normal()
            let u = random.uniform()
            let c = u < 0.5 ? "a" : u < 0.8 ? "b" : "c"
            let maskC = random.uniform() < 0.4, maskX = random.uniform() < 0.2
            if maskC { truth[i] = c }
            rows.append([maskX ? nil : String(format: "%.4f", x), String(format: "%.4f", y), maskC ? nil : c])
        }
        return (TableSchemaTests.table(["x", "y", "c"], rows), truth)
    }

    /// The largest |imputed share − truth's share| over the categories, and whether every gap is
    /// within 4 sd of the difference of two independent binomial shares over m cells:
    /// 4·√(2p(1−p)/m), about 10 pp for p = 0.5 and m ≈ 600.
    static func check(_ completion: MixedCompletion, truth: [Int: String]) -> (gap: Double, within: Bool) {
        let m = Double(truth.count)
        var gap = 0.0, within = true
        for category in categories {
            let p = Double(truth.values.filter { $0 == category }.count) / m
            let imputed = Double(truth.keys.filter { completion.cell($0, 2) == .category(category) }.count) / m
            gap = max(gap, abs(imputed - p))
            if abs(imputed - p) > 4 * (2 * p * (1 - p) / m).squareRoot() { within = false }
        }
        return (gap, within)
    }

    @Test("MIRI's category shares over 600 missing cells lie within the binomial bound; the mode's do not")
    func sharesMatchTheTruth() throws {
        let (table, truth) = Self.table()
        let schema = try TableSchema.detect(table).schema
        #expect(schema.kinds == [.numeric, .numeric, .categorical])
        var configuration = MIRIConfiguration.fast
        configuration.seed = 1
        let miri = Self.check(try schema.impute(table, with: MIRIImputer(configuration: configuration)), truth: truth)
        #expect(miri.within, "largest share gap \(miri.gap)")
        // The bound can fail: the mean imputer names the mode ("a") every time, 50 pp off.
        let mode = Self.check(try schema.impute(table, with: MeanImputer()), truth: truth)
        #expect(!mode.within && mode.gap > 0.4, "mode's gap \(mode.gap)")
    }
}
