extension TableSchema {
    /// Runs `body`, an imputer's work on this schema's encoded table, and rethrows the errors that
    /// name a cell or a column in the table's terms, whichever method raised them: the imputers
    /// count encoded columns (a categorical column is several one-hot ones, pass-through columns
    /// are left out), while messages must name the table's.
    ///
    /// `rowsBefore` is subtracted from the row of an out-of-range imputation: a run split over
    /// processes counts the rows of the whole table, the caller those of the part it read.
    public func mappingColumns<T>(rowsBefore: Int = 0, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let MICEError.outOfRange(row, column, value) {
            throw MICEError.outOfRange(row: row - rowsBefore, column: sourceColumn(ofEncoded: column), value: value)
        } catch let error as OutOfRangeImputation {
            throw OutOfRangeImputation(row: error.row - rowsBefore, column: sourceColumn(ofEncoded: error.column))
        } catch let InputError.infinite(row, column) {
            throw InputError.infinite(row: row, column: sourceColumn(ofEncoded: column))
        } catch let InputError.columnWithoutObservations(column) {
            throw InputError.columnWithoutObservations(column: sourceColumn(ofEncoded: column))
        }
    }
}
