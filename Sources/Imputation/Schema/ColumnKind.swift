import Linalg

/// What a column of a real table holds, which decides how it is imputed and written.
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
    /// Numbers: imputed as they are.
    case numeric
    /// Numbers that are all integers: imputed, then rounded to the nearest integer (unless the
    /// caller keeps the fractions) and written without a decimal point.
    case integer
    /// Labels (text, or numeric codes named so): one-hot inside the imputers, decoded to one of
    /// the observed categories, never a new one.
    case categorical
    /// An identifier, a date or free text: written back as it is, missing cells stay missing,
    /// and it takes no part in the imputation.
    case passThrough = "pass-through"
}

/// A table of mixed columns as the library takes it: the numbers, and the text of the columns
/// that need it.
public struct MixedTable: Sendable {
    /// Column names (the header), used to match overrides and models.
    public var names: [String]
    /// n × d numbers; NaN where a cell is missing or holds text.
    public var values: Matrix
    /// Row-major indices of the cells holding text rather than a number (observed cells).
    public var textCells: Set<Int>
    /// For the columns that hold text or are read as categories: each row's cell text, nil
    /// where missing. Other columns need no text.
    public var texts: [Int: [String?]]

    /// A table of these names and numbers, with text where `texts` gives it.
    public init(names: [String], values: Matrix, textCells: Set<Int> = [], texts: [Int: [String?]] = [:]) {
        self.names = names
        self.values = values
        self.textCells = textCells
        self.texts = texts
    }

    /// Whether cell (i, j) is missing: NaN and not text.
    public func isMissing(_ i: Int, _ j: Int) -> Bool {
        let k = i * values.cols + j
        return values.storage[k].isNaN && !textCells.contains(k)
    }

    /// The columns that hold at least one text cell.
    public var columnsWithText: Set<Int> { Set(textCells.map { $0 % values.cols }) }
}

/// The caller's word on column kinds, by column name (`--categorical`, `--numeric`, `--pass-through`).
public struct KindOverrides: Sendable, Equatable {
    /// Columns to treat as categories (`--categorical`), even if their cells read as numbers.
    public var categorical: Set<String>
    /// Columns to treat as numbers (`--numeric`): a cell that is not a number is an error.
    public var numeric: Set<String>
    /// Columns left out of the imputation and written as read (`--pass-through`).
    public var passThrough: Set<String>

    /// Overrides naming columns by their header names.
    public init(categorical: Set<String> = [], numeric: Set<String> = [], passThrough: Set<String> = []) {
        self.categorical = categorical
        self.numeric = numeric
        self.passThrough = passThrough
    }

    /// No override given: every kind decided from the cells.
    public var isEmpty: Bool { categorical.isEmpty && numeric.isEmpty && passThrough.isEmpty }
}

/// Why a mixed table cannot be imputed. Rows and columns count from 0.
public enum MixedTableError: Error, Equatable, CustomStringConvertible {
    /// A column that must be numeric (it holds numbers, or `--numeric` names it) has a text cell.
    case textInNumericColumn(row: Int, column: Int, text: String)
    /// A categorical column with more distinct values than `TableSchema.categoryLimit`; `row`
    /// is where the first value beyond the limit appears.
    case tooManyCategories(row: Int, column: Int, limit: Int)
    /// An override names a column the table does not have, or gives one column two kinds.
    case badOverride(String)
    /// Every column is passed through: nothing is left to impute from.
    case nothingToImpute

    public var description: String {
        switch self {
        case let .textInNumericColumn(row, column, text):
            return "row \(row), column \(column): cannot read \"\(text)\" as a number"
        case let .tooManyCategories(row, column, limit):
            return "row \(row), column \(column): more than \(limit) categories"
        case let .badOverride(message): return message
        case .nothingToImpute: return "every column is passed through; there is nothing to impute from"
        }
    }
}
