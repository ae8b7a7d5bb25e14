import Foundation
import Imputation
import Linalg
import TableIO

/// libFuzzer target: what `miri analyze` parses and pools (scripts/fuzz.sh builds and runs it).
/// The input is a `--regress` formula or `--mean` list (first byte even: formula, odd: list),
/// then a 0 byte, then a completed CSV file read in Double.
///
/// Checks: only the documented errors come out (`CSVError`, `RegressionFormula.ParseError`,
/// `PoolingError`); an accepted formula or list names columns of the header, none twice, the
/// response never among the predictors; pooling the table with a shifted copy of itself never
/// yields a NaN or an infinity.
@_cdecl("LLVMFuzzerTestOneInput")
public func analyzeFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let body = bytes.dropFirst()
    let cut = body.firstIndex(of: 0) ?? body.endIndex
    AnalyzeFuzz.check(formula: bytes[0] & 1 == 0, text: String(decoding: body[..<cut], as: UTF8.self),
                      csv: Array(body[cut...].dropFirst()))
    return 0
}

enum AnalyzeFuzz {
    static func check(formula: Bool, text: String, csv: [UInt8]) {
        do {
            let (table, values) = try CSVTable.readDoubles(bytes: csv, source: "f.csv")
            let header = table.header, d = header.count
            let estimand: Estimand
            if formula {
                let f = try RegressionFormula(text, columns: header)
                precondition((f.predictors + [f.response]).allSatisfy { (0..<d).contains($0) }, "a column beyond the header")
                precondition(!f.predictors.contains(f.response) && Set(f.predictors).count == f.predictors.count, "a column twice")
                estimand = .regression(response: f.response, predictors: f.predictors)
            } else {
                let columns = try ColumnList.parse(text, option: "--mean", columns: header)
                precondition(!columns.isEmpty && columns.allSatisfy { (0..<d).contains($0) } && Set(columns).count == columns.count, "a bad list")
                estimand = .means(columns)
            }
            let first = CompletedTable(rows: table.values.rows, cols: d, storage: values)
            let second = CompletedTable(rows: first.rows, cols: d, storage: values.enumerated().map { $1 + Double($0 % 3) * 0.25 })
            for p in try MultipleImputation.pool([first, second], estimand: estimand, names: header) {
                let numbers = [p.estimate, p.within, p.between, p.total, p.df, p.fmi, p.standardError, p.lower, p.upper]
                precondition(numbers.allSatisfy(\.isFinite), "a pooled NaN or infinity: \(p)")
                precondition(p.pValue.isNaN == false, "a NaN p-value: \(p)")
            }
        } catch let error as CSVError {
            _ = error.description
        } catch let error as RegressionFormula.ParseError {
            _ = error.description
        } catch let error as PoolingError {
            _ = error.description
        } catch {
            fatalError("analyze threw \(error)")
        }
    }
}
