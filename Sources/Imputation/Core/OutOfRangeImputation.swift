/// An imputed value that is finite on MIRI's standardized scale but beyond `Float`'s range
/// (about ±3.4e38) once mapped back to the table's scale. Rows and columns count from 0.
///
/// Why an error: the table holds 32-bit floats, so such a value could only be written as
/// ±inf, which the CSV format refuses. It comes from a flow that drove a draw far outside a
/// column whose values are already near that limit, or from a model whose stored scale is
/// that large: MIRI diverged, and the caller reports it as such.
public struct OutOfRangeImputation: Error, Equatable, CustomStringConvertible {
    /// The cell's row, from 0.
    public var row: Int
    /// The cell's column, from 0.
    public var column: Int

    package init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String {
        "row \(row), column \(column): the imputed value is beyond the range of a 32-bit float (about ±3.4e38) on the table's scale"
    }
}
