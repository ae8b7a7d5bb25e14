import Foundation
import Imputation
import Linalg
import TableIO

/// libFuzzer target: mixed tables, the way `miri impute --method mean` runs them (scripts/fuzz.sh
/// builds and runs it). The first byte picks the kind flags (bits 0–1: --categorical, 2–3:
/// --numeric, 4–5: --pass-through, each naming column 1, column 2 or nothing); the rest is the
/// CSV file, read with text cells.
///
/// Checks: only the documented errors come out (`CSVError`, `MixedTableError`, `InputError`);
/// a categorical column holding a cell that is not UTF-8 is refused (issue 24, A); otherwise the
/// table completes, every filled categorical cell is one of its column's observed categories
/// (never a value the input does not contain), and the output reads back with every observed
/// cell's text unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func mixedTableFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    MixedFuzz.check(flags: bytes[0], csv: Array(bytes.dropFirst()))
    return 0
}

enum MixedFuzz {
    static func overrides(_ flags: UInt8, header: [String]) -> KindOverrides {
        func pick(_ shift: UInt8) -> Set<String> {
            let k = Int((flags >> shift) & 3)
            return k >= 1 && k <= header.count && k <= 2 ? [header[k - 1]] : []
        }
        return KindOverrides(categorical: pick(0), numeric: pick(2), passThrough: pick(4))
    }

    /// The mixed-table view `CSVTable.mixedTable` (module MIRI) gives, built from TableIO's parts.
    static func mixedTable(_ table: CSVTable, categorical: Set<String>) -> MixedTable {
        let d = table.values.cols
        let withText = Set(table.textCells.map { $0 % d })
        let columns = (0..<d).filter { withText.contains($0) || categorical.contains(table.header[$0]) }
        let texts = table.cellTexts(columns: columns)
        return MixedTable(names: table.header, values: table.values, textCells: table.textCells,
                          texts: Dictionary(uniqueKeysWithValues: zip(columns, texts)))
    }

    static func check(flags: UInt8, csv: [UInt8]) {
        do {
            let table = try CSVTable.read(bytes: csv, source: "f.csv", allowText: true)
            let overrides = overrides(flags, header: table.header)
            let mixed = mixedTable(table, categorical: overrides.categorical)
            let schema = try TableSchema.detect(mixed, overrides: overrides).schema
            let categorical = Set(schema.kinds.indices.filter { schema.kinds[$0] == .categorical })
            if let error = table.firstInvalidUTF8Error(columns: categorical, source: "f.csv") {
                _ = error.description
                return
            }
            let completion = try schema.impute(mixed, with: MeanImputer())
            let written = table.csvBytes { i, j in
                switch completion.cell(i, j) {
                case let .number(v), let .integer(v): return v.description
                case let .category(text):
                    precondition(mixed.texts[j]?.contains(text) == true, "a category the column does not hold: \(text)")
                    return text
                case .none: return nil
                }
            }
            // Known and left open: a carriage return inside the input (not followed by a line feed,
            // and not the input's last byte, whose write-back is fixed and checked) can make a
            // row read back as another shape (a run of bare \r and empty lines in a one-column
            // table: Fuzz/corpus/mixed/bare-cr-rows). Not checked here; docs/fuzzing.md.
            if zip(csv, csv.dropFirst() + [0x0A]).contains(where: { $0 == 0x0D && $1 != 0x0A }) { return }
            let back = try CSVTable.read(bytes: written, source: "out.csv", allowText: true)
            precondition(back.header == table.header && back.values.rows == table.values.rows, "the output reads back to another shape")
            let all = Array(0..<table.values.cols)
            let before = table.cellTexts(columns: all), after = back.cellTexts(columns: all)
            for (c, column) in before.enumerated() {
                for (i, text) in column.enumerated() where text != nil {
                    precondition(after[c][i] == text, "observed cell (\(i), \(c)) changed: \(text!) -> \(after[c][i] ?? "missing")")
                }
            }
        } catch let error as CSVError {
            _ = error.description
        } catch let error as MixedTableError {
            _ = error.description
        } catch let error as InputError {
            _ = error.description
        } catch {
            fatalError("a mixed table threw \(error)")
        }
    }
}
