import ArgumentParser
import Flow
import Foundation
import Imputation
import MIRI
import ModelStore
import TableIO

/// The exit statuses of `miri`, a contract for scripts that call it.
enum ExitStatus {
    /// Done; also when the input had nothing missing and was copied through.
    static let success: Int32 = 0
    /// The output could not be written, or another failure.
    static let failure: Int32 = 1
    /// Bad input: unreadable, malformed or unimputable table (MICE: an imputation beyond Float's
    /// range); an unreadable or damaged model or checkpoint file; a table whose columns are not
    /// the model's. Nothing was written.
    static let badInput: Int32 = 2
    /// MIRI diverged (a non-finite loss or imputation). Nothing was written.
    static let diverged: Int32 = 3
    /// Bad command-line usage (ArgumentParser's EX_USAGE).
    static let usage: Int32 = 64
    /// Stopped by SIGINT (Ctrl-C). Nothing was written.
    static let interrupted: Int32 = 130
}

/// A failure turned into the one line `miri` prints and the status it exits with.
struct Failure: Error {
    var message: String
    var status: Int32

    /// Classifies an error thrown while imputing `source` (the input's display name).
    ///
    /// `table`, when the input was read, turns the imputer's 0-based row and column numbers
    /// into the file's line and column, as `CSVError` messages give them.
    init(_ error: Error, source: String, table: CSVTable? = nil) {
        switch error {
        case let error as Failure:
            self = error
        case let error as CSVError:
            self.init(message: error.description, status: ExitStatus.badInput)
        case let error as InputError:
            self.init(message: "\(source): \(table?.describe(error) ?? error.description)", status: ExitStatus.badInput)
        case let error as ModelMismatch:
            self.init(message: "\(source): \(error.description)", status: ExitStatus.badInput)
        case let error as ModelApplication.ColumnsMismatch:
            self.init(message: error.description, status: ExitStatus.badInput)
        case let error as ModelFileError:
            self.init(message: error.description, status: ExitStatus.badInput)
        case let MixedTableError.badOverride(message):
            self.init(message: message, status: ExitStatus.usage)
        case let error as MixedTableError:
            self.init(message: "\(source): \(error.description)", status: ExitStatus.badInput)
        case let error as ResumeMismatch:
            self.init(message: "\(source): \(error.description)", status: ExitStatus.badInput)
        case let MICEError.outOfRange(row, column, value):
            let place = table?.place(row: row, column: column) ?? "row \(row + 1), column \(column + 1)"
            self.init(message: "\(source): \(place): MICE imputed \(value), beyond the range of a 32-bit float (about ±3.4e38); "
                      + "a table with values this close to the limit cannot be imputed by regression", status: ExitStatus.badInput)
        case let error as MIRIError:
            switch error {
            case .diverged: self.init(message: error.description, status: ExitStatus.diverged)
            case .invalidConfiguration: self.init(message: error.description, status: ExitStatus.usage)
            }
        case ImputationError.cancelled:
            self.init(message: "interrupted; nothing was written", status: ExitStatus.interrupted)
        case let error as OutOfRangeImputation:
            let place = table?.place(row: error.row, column: error.column) ?? "row \(error.row + 1), column \(error.column + 1)"
            self.init(message: "\(source): \(place): the imputed value is beyond the range of a 32-bit float (about ±3.4e38) "
                      + "on the table's scale, so MIRI diverged. \(Self.divergenceRemedy)", status: ExitStatus.diverged)
        case let error as UnwritableValue:
            self.init(message: "\(source): \(error.description)", status: ExitStatus.diverged)
        case let error as OutputPathError:
            self.init(message: error.description, status: ExitStatus.badInput)
        case let error as FileWriteError:
            self.init(message: error.description, status: ExitStatus.failure)
        default:
            self.init(message: String(describing: error), status: ExitStatus.failure)
        }
    }

    init(message: String, status: Int32) {
        self.message = message
        self.status = status
    }

    /// What to try when an imputation leaves Float's range.
    static let divergenceRemedy = "Lower the learning rate (e.g. --lr 0.001), or use the 'calibrated' (default) or 'fast' preset, "
        + "which keeps imputations within each column's observed range."

    /// A cell of `table` in the file's terms (`CSVTable.place`).
    static func place(row: Int?, column: Int, in table: CSVTable) -> String { table.place(row: row, column: column) }

    /// Prints `miri: error: <message>` on standard error and exits with the status.
    func exit() -> Never {
        Diagnostics.line("miri: error: \(message)")
        Foundation.exit(status)
    }
}

/// Lines for standard error, which carries every message of the tool; standard output carries
/// only the imputed table (or `info`/`demo` reports).
enum Diagnostics {
    /// Writes `text` as one line: its control characters (a line end inside a quoted CSV field,
    /// a tab in a column name) are escaped, so every message stays on its own line.
    static func line(_ text: String) {
        write(oneLine(text) + "\n")
    }

    /// `text` with its control characters escaped (`String.escapingControlCharacters`, TableIO).
    static func oneLine(_ text: String) -> String { text.escapingControlCharacters }

    /// Best effort: a message that cannot be written (standard error on a full disk, closed)
    /// must not turn the run's outcome into a crash.
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// Whether standard error is a terminal, where a redrawn progress line makes sense.
    static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
