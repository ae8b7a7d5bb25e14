import Foundation

/// A regression written as R writes one, "y ~ x1 + x2", resolved against a table's column names.
/// The intercept is always included; the names must be columns of the table (no
/// transformations, interactions or "."; a name with spaces or symbols is written in backticks,
/// `my column`).
public struct RegressionFormula: Sendable, Equatable {
    /// The response's column (from 0).
    public var response: Int
    /// The predictors' columns, in the formula's order.
    public var predictors: [Int]

    /// A formula that cannot be read or names a column the table lacks; one line.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public init(response: Int, predictors: [Int]) {
        self.response = response
        self.predictors = predictors
    }

    /// Parses `text` against `columns` (the header).
    public init(_ text: String, columns: [String]) throws {
        let sides = text.split(separator: "~", omittingEmptySubsequences: false)
        guard sides.count == 2 else {
            throw ParseError(description: "cannot read the formula \"\(text)\": write it as \"y ~ x1 + x2\" (one ~)")
        }
        func resolve(_ raw: Substring) throws -> Int {
            var name = raw.trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("`"), name.hasSuffix("`") { name = String(name.dropFirst().dropLast()) }
            guard !name.isEmpty else {
                throw ParseError(description: "cannot read the formula \"\(text)\": a term is empty (write it as \"y ~ x1 + x2\")")
            }
            guard let j = columns.firstIndex(of: name) else {
                throw ParseError(description: "unknown column \"\(name)\" in the formula (the columns are \(columns.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            return j
        }
        response = try resolve(sides[0])
        let right = sides[1].trimmingCharacters(in: .whitespaces)
        if right.isEmpty || right == "1" {
            predictors = []
        } else {
            predictors = try sides[1].split(separator: "+", omittingEmptySubsequences: false).map(resolve)
        }
        if predictors.contains(response) {
            throw ParseError(description: "the formula \"\(text)\" has its response \"\(columns[response])\" among the predictors")
        }
        if Set(predictors).count != predictors.count {
            throw ParseError(description: "the formula \"\(text)\" lists a predictor twice")
        }
    }
}
