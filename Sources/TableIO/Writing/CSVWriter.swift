import Foundation
import Linalg

/// Appends tables (typically `CSVReader` batches) to an output as one CSV file: the header
/// row once, before the first batch, then each batch's rows.
///
/// Cells follow `CSVTable.csvBytes(imputed:)`: observed cells verbatim, missing cells as the
/// shortest text of their imputed value. Pair it with `AtomicFile.write(to:_:)` so a failure
/// halfway through never leaves a partial output in place.
public final class CSVWriter {
    private let handle: FileHandle
    private let destination: String
    private var header: [String]?

    /// A writer appending to `fileHandle`; `destination` names it in errors.
    public init(fileHandle: FileHandle, destination: String) {
        self.handle = fileHandle
        self.destination = destination
    }

    /// Writes `batch` with its missing cells taken from `imputed` (same shape, finite there).
    /// Every batch must have the first batch's header.
    public func write(_ batch: CSVTable, imputed: Matrix) throws {
        var out: [UInt8] = []
        headerIfFirst(batch, to: &out)
        try batch.appendRows(imputed: imputed, to: &out)
        try write(out)
    }

    /// Writes `batch`'s rows as `rows` already holds them (`CSVTable.csvBytes(includeHeader: false, …)`):
    /// for tables whose missing cells are filled with text (categories, integers).
    public func write(_ batch: CSVTable, rows: [UInt8]) throws {
        var out: [UInt8] = []
        headerIfFirst(batch, to: &out)
        out.append(contentsOf: rows)
        try write(out)
    }

    private func headerIfFirst(_ batch: CSVTable, to out: inout [UInt8]) {
        if let header {
            precondition(header == batch.header, "batches of one output must share a header")
        } else {
            header = batch.header
            batch.appendHeader(to: &out)
        }
    }

    private func write(_ out: [UInt8]) throws {
        do {
            try handle.write(contentsOf: out)
        } catch {
            throw FileWriteError(path: destination, underlying: error)
        }
    }
}
