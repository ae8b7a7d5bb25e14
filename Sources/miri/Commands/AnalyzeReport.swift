import Foundation
import Imputation

/// `miri analyze`'s output: a table like R mice's `summary(pool(fit), conf.int = TRUE)`, or JSON.
enum AnalyzeReport {
    /// term, estimate, std.error, statistic, df, p.value, the interval's bounds, fmi.
    static func table(_ pooled: [PooledEstimate], level: Double) -> String {
        let tail = (1 - level) / 2
        let header = ["term", "estimate", "std.error", "statistic", "df", "p.value",
                      percent(tail), percent(1 - tail), "fmi"]
        let rows = pooled.map { p in
            [p.term, number(p.estimate), number(p.standardError), number(p.statistic), String(format: "%.1f", p.df),
             pValue(p.pValue), number(p.lower), number(p.upper), String(format: "%.4f", p.fmi)]
        }
        let widths = header.indices.map { j in ([header[j]] + rows.map { $0[j] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { j, cell in
                let pad = String(repeating: " ", count: widths[j] - cell.count)
                return j == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
        }
        return ([header] + rows).map(line).joined()
    }

    /// One object: the imputations, the source and every pooled quantity per term.
    static func json(_ pooled: [PooledEstimate], source: String) -> String {
        let terms: [[String: Any]] = pooled.map { p in
            ["term": p.term, "estimate": p.estimate, "std.error": p.standardError, "statistic": p.statistic, "df": p.df,
             "p.value": p.pValue, "conf.level": p.level, "conf.low": p.lower, "conf.high": p.upper, "fmi": p.fmi,
             "lambda": p.lambda, "riv": p.relativeIncrease, "ubar": p.within, "b": p.between, "t": p.total,
             "dfcom": p.completeDataDF.isFinite ? p.completeDataDF as Any : NSNull(), "m": p.imputations]
        }
        let object: [String: Any] = ["source": source, "imputations": pooled.first?.imputations ?? 0, "pooled": terms]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func percent(_ p: Double) -> String {
        var s = String(format: "%.1f", 100 * p)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s + " %"
    }

    static func number(_ v: Double) -> String { String(format: "%.6g", v) }

    static func pValue(_ p: Double) -> String { p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
}
