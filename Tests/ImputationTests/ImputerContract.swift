import Imputation
import Linalg
import Testing

/// Checks every imputer's output must pass, written once for all of their suites.
enum ImputerContract {
    /// `out` completes `data`: each observed entry bit for bit as given, each missing one finite.
    static func expectCompletes(_ out: Matrix, _ data: Matrix, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(out.rows == data.rows && out.cols == data.cols, sourceLocation: sourceLocation)
        for k in 0..<min(data.count, out.count) {
            if data.storage[k].isNaN {
                #expect(out.storage[k].isFinite, "entry \(k): \(out.storage[k])", sourceLocation: sourceLocation)
            } else {
                #expect(out.storage[k].bitPattern == data.storage[k].bitPattern, "entry \(k)", sourceLocation: sourceLocation)
            }
        }
    }
}
