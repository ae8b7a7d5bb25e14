import ArgumentParser
import Imputation
import MIRI

/// `--categorical`, `--numeric`, `--pass-through` (comma-separated column names, repeatable)
/// and `--no-round-integers`: the user's word over the kinds `miri` detects.
struct ColumnKindOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read these columns as categories (numeric codes too).", valueName: "a,b"))
    var categorical: [String] = []

    @Option(help: ArgumentHelp("These columns must be numbers: a text cell in them is an error.", valueName: "c"))
    var numeric: [String] = []

    @Option(name: .customLong("pass-through"), help: ArgumentHelp("Write these columns back as they are; they take no part in the imputation.", valueName: "id,date"))
    var passThrough: [String] = []

    @Flag(name: .customLong("no-round-integers"), help: "Keep the fractions of imputed values in integer columns.")
    var noRoundIntegers = false

    var overrides: KindOverrides {
        func names(_ lists: [String]) -> Set<String> {
            Set(lists.flatMap { $0.split(separator: ",", omittingEmptySubsequences: true).map(String.init) })
        }
        return KindOverrides(categorical: names(categorical), numeric: names(numeric), passThrough: names(passThrough))
    }

    /// Reads and encodes `input` with these overrides (`EncodedTable.read`) and prints the kinds
    /// line and the detection's notes.
    func read(input: String, source: String, into table: inout CSVTable?, note: (String) -> Void) throws -> EncodedTable {
        let encoded = try EncodedTable.read(input: input, source: source, overrides: overrides, into: &table)
        encoded.notes.forEach(note)
        return encoded
    }
}
