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

    /// Reads `input` ("-": standard input) with text cells allowed — into `table` as soon as it is
    /// read, so a later error can show its cells — and decides the kinds with these overrides.
    /// Prints the kinds line (a table of plain numbers with no override reads as before: no line)
    /// and the detection's notes.
    func readAndDetect(input: String, source: String, into table: inout CSVTable?, note: (String) -> Void) throws
        -> (read: CSVTable, detected: (schema: TableSchema, notes: [String], table: MixedTable)) {
        let read = input == "-" ? try CSVTable.readStandardInput(source: source, allowText: true)
            : try CSVTable.read(path: input, allowText: true)
        table = read
        let detected = try read.detectKinds(overrides: overrides, source: source)
        if !detected.schema.isNumericOnly || !overrides.isEmpty { note("columns: \(detected.schema.summary)") }
        detected.notes.forEach(note)
        return (read, detected)
    }
}
