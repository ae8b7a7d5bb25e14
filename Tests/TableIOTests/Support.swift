import Foundation
import TestSupport
import Linalg
import TableIO

/// Reads CSV text given as a Swift string, as if from a file named `test.csv`.
func readCSV(_ text: String, source: String = "test.csv") throws -> CSVTable {
    try CSVTable.read(bytes: Array(text.utf8), source: source)
}

/// The message of the `CSVError` that reading `text` throws, or nil if it reads fine.
func csvErrorMessage(_ text: String, source: String = "test.csv") -> String? {
    do {
        _ = try readCSV(text, source: source)
        return nil
    } catch let error as CSVError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}

/// A fresh empty folder under the system's temporary folder.
func makeTemporaryFolder() throws -> String {
    try Scratch.makeFolder(prefix: "tableio-tests").path
}

/// The text of the file at `path`, or nil when there is none.
func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

/// The names in `folder`, sorted (hidden ones included); empty when it cannot be read.
func listing(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}
