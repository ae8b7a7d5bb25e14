/// Decimal text for imputed values.
///
/// Why `Float.description`: the standard library prints the shortest decimal that reads back
/// to the same `Float` (e.g. `0.1`, `1e-45`, `3.4028235e+38`, `-0.0`), so the output file
/// holds exactly the imputed numbers in as few bytes as possible, in a form every CSV reader
/// parses. NaN and infinities have no such text in our format, so they are refused.
enum FloatText {
    /// The shortest round-tripping decimal for a finite `value`.
    static func shortest(_ value: Float) -> String {
        precondition(value.isFinite, "imputed value \(value) is not finite; an imputer must fill every missing cell")
        return value.description
    }
}
