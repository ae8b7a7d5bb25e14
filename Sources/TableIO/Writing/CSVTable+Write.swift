import Foundation
import Linalg

/// Writing a table back as CSV with its missing cells filled in.
///
/// The guarantee: a cell observed in the input is written as the very bytes it was read from
/// (blanks, quotes, `1.50`, `6.1556e+05` all kept), so input and output differ only where
/// cells were missing. A missing cell is written as the shortest decimal that reads back to
/// exactly the imputed `Float` (see `FloatText`). Rows end with the input's line end, and the
/// last row has one too (a bare `\r` ending the input is kept as it is). A byte order mark in
/// the input is not repeated (unless the header itself starts with U+FEFF, which must then
/// stay behind one).
extension CSVTable {
    /// The header row and all data rows, missing cells taken from `imputed`.
    ///
    /// `imputed` has the table's shape and a finite value at every missing cell (its other
    /// cells are ignored); a NaN or infinity there throws `UnwritableValue`. A table with
    /// nothing missing can pass its own `values`.
    public func csvBytes(imputed: Matrix, includeHeader: Bool = true) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((rowText?.bytes.count ?? values.count * 12) + missingCount * 8)
        if includeHeader { appendHeader(to: &out) }
        try appendRows(imputed: imputed, to: &out)
        return out
    }

    /// `csvBytes(imputed:includeHeader:)` as `Data`.
    public func csvData(imputed: Matrix, includeHeader: Bool = true) throws -> Data {
        Data(try csvBytes(imputed: imputed, includeHeader: includeHeader))
    }

    /// Appends the header row and its line end.
    package func appendHeader(to out: inout [UInt8]) {
        let row = headerText ?? Array(header.map { Self.quotedIfNeeded($0) }.joined(separator: ",").utf8)
        // A header that itself starts with U+FEFF (after the input's byte order mark, or a name
        // built in code) would lose it when read back, the reader taking it for the mark: so a
        // mark goes first then.
        if row.starts(with: HeaderRow.byteOrderMark) { out.append(contentsOf: HeaderRow.byteOrderMark) }
        out.append(contentsOf: row)
        out.append(contentsOf: lineEnding.bytes)
    }

    /// Appends every data row, each with its line end.
    func appendRows(imputed: Matrix, to out: inout [UInt8]) throws {
        precondition(imputed.rows == values.rows && imputed.cols == values.cols,
                     "imputed is \(imputed.rows)×\(imputed.cols), the table \(values.rows)×\(values.cols)")
        let columns = values.cols
        for i in 0..<values.rows {
            let base = i * columns
            if let text = rowText {
                let row = text.starts[i]..<text.ends[i]
                if !(0..<columns).contains(where: { values.storage[base + $0].isNaN }) {
                    out.append(contentsOf: text.bytes[row])
                } else {
                    let fields = FieldSplitter.rawFields(in: text.bytes, record: row)
                    for j in 0..<columns {
                        if j > 0 { out.append(ASCII.comma) }
                        if values.storage[base + j].isNaN {
                            out.append(contentsOf: try cellText(imputed.storage[base + j], row: i, column: j).utf8)
                        } else {
                            out.append(contentsOf: text.bytes[fields[j]])
                        }
                    }
                }
            } else {
                for j in 0..<columns {
                    if j > 0 { out.append(ASCII.comma) }
                    let value = values.storage[base + j]
                    out.append(contentsOf: try cellText(value.isNaN ? imputed.storage[base + j] : value, row: i, column: j).utf8)
                }
            }
            out.append(contentsOf: lineEnd(afterRow: i))
        }
    }

    /// The shortest text of the value at 0-based (row, column), or the error naming that cell.
    private func cellText(_ value: Float, row: Int, column: Int) throws -> String {
        guard let text = FloatText.shortest(value) else {
            throw UnwritableValue(line: firstLine + row, column: column + 1, columnName: header[column], value: value)
        }
        return text
    }

    /// `name` as a CSV field: in quotes (inner quotes doubled) when it holds a comma, a quote,
    /// a line end or blanks at either end, since those would change how it reads back.
    static func quotedIfNeeded(_ name: String) -> String {
        let special = name.utf8.contains { $0 == ASCII.comma || $0 == ASCII.quote || $0 == ASCII.newline || $0 == ASCII.carriageReturn }
        let padded = name.utf8.first.map(CellScanner.isBlank) == true || name.utf8.last.map(CellScanner.isBlank) == true
        guard special || padded else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
