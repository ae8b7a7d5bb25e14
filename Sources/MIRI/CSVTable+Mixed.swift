import Imputation
import Linalg
import TableIO

/// Between a CSV file and the library's mixed-table layer: the text a kind decision needs, the
/// errors in the file's terms (line and column), and writing the completed cells.
extension CSVTable {
    /// The table for `TableSchema`: text for the columns that hold text and for `categorical` ones.
    public func mixedTable(categorical: Set<String> = []) -> MixedTable {
        let withText = Set(textCells.map { $0 % values.cols })
        let columns = (0..<values.cols).filter { withText.contains($0) || categorical.contains(header[$0]) }
        let texts = cellTexts(columns: columns)
        return MixedTable(names: header, values: values, textCells: textCells,
                          texts: Dictionary(uniqueKeysWithValues: zip(columns, texts)))
    }

    /// Decides the column kinds (`TableSchema.detect`), with the errors turned into `CSVError`s
    /// naming `source`, the line and the column.
    public func detectKinds(overrides: KindOverrides, source: String) throws -> (schema: TableSchema, notes: [String], table: MixedTable) {
        let table = mixedTable(categorical: overrides.categorical)
        do {
            let (schema, notes) = try TableSchema.detect(table, overrides: overrides)
            let categorical = Set(schema.kinds.indices.filter { schema.kinds[$0] == .categorical })
            if let error = firstInvalidUTF8Error(columns: categorical, source: source) { throw error }
            return (schema, notes, table)
        } catch let error as MixedTableError {
            throw csvError(error, source: source)
        }
    }

    /// A `MixedTableError` in the file's terms (`badOverride` stays as it is: it is about the command line).
    public func csvError(_ error: MixedTableError, source: String) -> Error {
        switch error {
        case let .textInNumericColumn(row, column, text):
            return CSVError(.notANumber(text: text), source: source, line: line(ofRow: row), column: column + 1, columnName: header[column])
        case let .tooManyCategories(row, column, limit):
            return CSVError(.tooManyCategories(limit: limit), source: source, line: line(ofRow: row), column: column + 1, columnName: header[column])
        case .nothingToImpute:
            return CSVError(.nothingToImpute, source: source)
        case .badOverride:
            return error
        }
    }

    /// The header and every row, each missing cell filled from `completion` (pass-through
    /// cells keep their marker), every other cell as written. Throws `UnwritableValue` for a
    /// non-finite number (imputers never give one; the last line of defence). Without
    /// `includeHeader`, the rows only.
    public func csvBytes(completion: MixedCompletion, includeHeader: Bool = true) throws -> [UInt8] {
        var bad: UnwritableValue?
        let bytes = csvBytes(includeHeader: includeHeader) { i, j in
            switch completion.cell(i, j) {
            case let .number(v), let .integer(v):
                guard v.isFinite else {
                    if bad == nil { bad = UnwritableValue(line: self.line(ofRow: i), column: j + 1, columnName: self.header[j], value: v) }
                    return "0"
                }
                if case .integer = completion.cell(i, j) { return Self.integerText(v) }
                return v.description
            case let .category(text): return text
            case .none: return nil
            }
        }
        if let bad { throw bad }
        return bytes
    }

    /// An integral `Float` without a decimal point ("3", "-12"); beyond Int64 its shortest text.
    static func integerText(_ v: Float) -> String {
        v.magnitude < 9.2e18 ? String(Int64(v)) : v.description
    }
}
