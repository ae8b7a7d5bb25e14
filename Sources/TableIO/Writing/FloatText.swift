/// Decimal text for imputed values.
///
/// Why `Float.description`: the standard library prints the shortest decimal that reads back
/// to the same `Float` (e.g. `0.1`, `1e-45`, `3.4028235e+38`, `-0.0`), so the output file
/// holds exactly the imputed numbers in as few bytes as possible, in a form every CSV reader
/// parses. NaN and infinities have no such text in our format, so they get none.
enum FloatText {
    /// The shortest round-tripping decimal for `value`, or nil when it is not finite.
    static func shortest(_ value: Float) -> String? {
        value.isFinite ? value.description : nil
    }
}

/// A cell the CSV writer cannot print: an imputed value that is NaN or infinite.
///
/// Imputers catch such values where they are made (`OutOfRangeImputation`,
/// `MIRIError.diverged`); this is the last line of defence, so that a bug there is an error
/// naming the cell rather than a crash or a file the reader would refuse.
public struct UnwritableValue: Error, Equatable, CustomStringConvertible {
    /// 1-based line of the row in the source (as `CSVError` counts).
    public var line: Int
    /// 1-based column and its header name.
    public var column: Int
    /// The column's name in the header.
    public var columnName: String
    /// The value that has no finite decimal form.
    public var value: Float

    package init(line: Int, column: Int, columnName: String, value: Float) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.value = value
    }

    /// NaN equals NaN here: the error is the same whichever NaN it carries.
    public static func == (a: Self, b: Self) -> Bool {
        a.line == b.line && a.column == b.column && a.columnName == b.columnName
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    public var description: String {
        "line \(line), column \(column) (\"\(columnName)\"): the imputed value \(value) is not a finite number, so it cannot be written"
    }
}
