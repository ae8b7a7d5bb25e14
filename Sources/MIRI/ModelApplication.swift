import Imputation
import MIRI
import TableIO

/// `miri apply`'s use of the library's `StreamingImputation`: the model's file name in messages.
struct ModelApplication {
    let stream: StreamingImputation
    /// The model file's display name, for messages.
    let modelSource: String

    var model: any FittedImputer { stream.model }
    var seed: UInt64 { stream.seed }

    /// Throws (exit 2) unless `header` is the model's columns, naming the first that differs.
    func checkColumns(_ header: [String], source: String) throws {
        guard let mismatch = stream.mismatch(header: header) else { return }
        let list = stream.expectedNames.map { " (\($0.map { "\"\($0)\"" }.joined(separator: ", ")))" } ?? ""
        switch mismatch {
        case let .columns(expected, got):
            throw Failure(message: "\(source): \(got) columns, but the model \(modelSource) was fitted on \(expected)\(list)",
                          status: ExitStatus.badInput)
        case let .columnName(j, expected, got):
            throw Failure(message: "\(source): column \(j + 1) is \"\(got)\", but the model \(modelSource) has \"\(expected)\" there; "
                          + "the columns must be the model's, in its order\(list)", status: ExitStatus.badInput)
        }
    }
}
