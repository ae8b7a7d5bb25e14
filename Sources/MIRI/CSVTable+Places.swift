import Imputation
import TableIO

extension CSVTable {
    /// A 0-based cell in the file's terms: "line 7, column 3 ("age")" (no line for a whole column),
    /// as `CSVError` messages give them.
    package func place(row: Int?, column: Int) -> String {
        let name = column < header.count ? " (\"\(header[column])\")" : ""
        let line = row.map { "line \(firstLine + $0), " } ?? ""
        return "\(line)column \(column + 1)\(name)"
    }

    /// An `InputError` about this table in the file's terms (1-based lines and columns, with the column's name).
    package func describe(_ error: InputError) -> String {
        switch error {
        case let .infinite(row, column):
            return "\(place(row: row, column: column)): infinite value; only finite numbers or missing markers are allowed"
        case let .columnWithoutObservations(column):
            return "\(place(row: nil, column: column)): every row misses this column, so there is nothing to impute it from"
        case .empty, .tooFewRows:
            return error.description
        }
    }
}
