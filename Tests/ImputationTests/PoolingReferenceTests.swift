import Foundation
import Imputation
import Linalg
import Testing

/// Rubin's rules, the t distribution and OLS against statsmodels, scipy and numpy: the numbers of
/// scripts/pooling_reference.py in Tests/Fixtures/pooling_reference.json, to 1e-10.
@Suite("Pooling: statsmodels, scipy and numpy reference numbers")
struct PoolingReferenceTests {
    static var fixture: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pooling_reference.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-10 * max(1, abs(b)) }

    @Test("Q̄, Ū, B, T, r, λ, ν, fmi, se, t, p and the interval of four generated cases")
    func rubin() throws {
        let cases = try #require(Self.fixture["pooling"] as? [[String: Any]], "the fixture is missing")
        #expect(cases.count == 4)
        for c in cases {
            let q = try #require(c["estimates"] as? [[Double]]), u = try #require(c["variances"] as? [[Double]])
            let level = try #require(c["level"] as? Double), dfCom = c["completeDataDF"] as? Double ?? .infinity
            let k = q[0].count
            let analyses = zip(q, u).map { CompleteDataEstimates(terms: (0..<k).map { "t\($0)" }, estimates: $0, variances: $1, degreesOfFreedom: dfCom) }
            let pooled = try RubinPooling.pool(analyses, level: level)
            let want = try #require(c["pooled"] as? [[String: Double]])
            for (p, w) in zip(pooled, want) {
                let got: [String: Double] = ["estimate": p.estimate, "within": p.within, "between": p.between, "total": p.total,
                                             "relativeIncrease": p.relativeIncrease, "lambda": p.lambda, "df": p.df, "fmi": p.fmi,
                                             "standardError": p.standardError, "statistic": p.statistic, "pValue": p.pValue,
                                             "lower": p.lower, "upper": p.upper]
                for (key, value) in got {
                    let reference = try #require(w[key], "\(key) in the fixture")
                    #expect(Self.close(value, reference), "m = \(q.count), \(p.term) \(key): \(value) vs \(reference)")
                }
            }
        }
    }

    @Test("t quantiles and distribution function against scipy.stats.t")
    func studentT() throws {
        let cases = try #require(Self.fixture["t"] as? [[String: Double]])
        for c in cases {
            let p = c["p"]!, df = c["df"]!
            #expect(Self.close(StudentT.quantile(p, degreesOfFreedom: df), c["t"]!), "quantile \(p), ν = \(df)")
            #expect(Self.close(StudentT.cdf(c["cdfAt"]!, degreesOfFreedom: df), c["cdf"]!), "cdf at \(c["cdfAt"]!), ν = \(df)")
        }
    }

    @Test("OLS coefficients (numpy lstsq), standard errors and σ̂² (statsmodels OLS)")
    func ols() throws {
        let cases = try #require(Self.fixture["ols"] as? [[String: Any]])
        for c in cases {
            let rows = try #require(c["table"] as? [[Double]])
            let table = Matrix(rows.map { $0.map(Float.init) })
            let fit = try OrdinaryLeastSquares(table, response: 0, predictors: Array(1..<table.cols))
            let coefficients = try #require(c["coefficients"] as? [Double]), se = try #require(c["standardErrors"] as? [Double])
            for i in coefficients.indices {
                #expect(Self.close(fit.coefficients[i], coefficients[i]), "coefficient \(i): \(fit.coefficients[i]) vs \(coefficients[i])")
                #expect(Self.close(fit.variances[i].squareRoot(), se[i]), "se \(i): \(fit.variances[i].squareRoot()) vs \(se[i])")
            }
            #expect(Self.close(fit.residualVariance, try #require(c["residualVariance"] as? Double)))
        }
    }
}
