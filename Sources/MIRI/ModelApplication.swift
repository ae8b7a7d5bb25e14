import Imputation
import TableIO

/// A model streamed over a table (`StreamingImputation`), with the model's file name for messages.
package struct ModelApplication {
    package let stream: StreamingImputation
    /// The model file's display name, for messages.
    package let modelSource: String

    package init(stream: StreamingImputation, modelSource: String) {
        self.stream = stream
        self.modelSource = modelSource
    }

    package var model: any FittedImputer { stream.model }
    package var seed: UInt64 { stream.seed }

    /// Throws unless `header` is the model's columns, naming the first that differs and the
    /// model's columns.
    package func checkColumns(_ header: [String], source: String) throws {
        guard let mismatch = stream.mismatch(header: header) else { return }
        let list = stream.expectedNames.map { " (\($0.map { "\"\($0)\"" }.joined(separator: ", ")))" } ?? ""
        switch mismatch {
        case let .columns(expected, got):
            throw ColumnsMismatch(description: "\(source): \(got) columns, but the model \(modelSource) was fitted on \(expected)\(list)")
        case let .columnName(j, expected, got):
            throw ColumnsMismatch(description: "\(source): column \(j + 1) is \"\(got)\", but the model \(modelSource) has \"\(expected)\" there; "
                                  + "the columns must be the model's, in its order\(list)")
        }
    }

    /// A table whose columns are not the model's; the description is the whole message.
    package struct ColumnsMismatch: Error, CustomStringConvertible {
        package var description: String
    }
}
