import Linalg

/// Writing a table back with chosen cells blanked: the output of `miri ampute`.
///
/// The guarantee matches `csvBytes(imputed:)`: the header row and every kept cell are written
/// as the very bytes they were read from, rows end with the input's line end (the last one too),
/// a byte order mark is not repeated. A blanked cell is written empty, the missing marker every
/// CSV reader knows. One exception: in a one-column table a blanked row would be an empty line,
/// which readers (this one at the end of a file, pandas anywhere) skip, so it is written `NA`.
extension CSVTable {
    /// The header row and all data rows, with the cells where `observed` is 0 left empty.
    /// `observed` has the table's shape (1 keep, 0 blank; `MissingnessMechanism.observed`'s form).
    package func csvBytes(blanking observed: Matrix) -> [UInt8] {
        precondition(observed.rows == values.rows && observed.cols == values.cols,
                     "mask is \(observed.rows)×\(observed.cols), the table \(values.rows)×\(values.cols)")
        let columns = values.cols
        let blank: [UInt8] = columns == 1 ? Array("NA".utf8) : []
        var out: [UInt8] = []
        out.reserveCapacity(rowText?.bytes.count ?? values.count * 12)
        appendHeader(to: &out)
        for i in 0..<values.rows {
            let fields = rowText.map { FieldSplitter.rawFields(in: $0.bytes, record: $0.starts[i]..<$0.ends[i]) }
            for j in 0..<columns {
                if j > 0 { out.append(ASCII.comma) }
                let k = i * columns + j
                if observed.storage[k] == 0 || values.storage[k].isNaN {
                    out.append(contentsOf: blank)
                } else if let text = rowText, let fields {
                    out.append(contentsOf: text.bytes[fields[j]])
                } else {
                    // Kept cells are finite (reading refuses ±inf; NaN is blank above), so text always exists.
                    out.append(contentsOf: (FloatText.shortest(values.storage[k]) ?? "").utf8)
                }
            }
            out.append(contentsOf: lineEnd(afterRow: i))
        }
        return out
    }
}
