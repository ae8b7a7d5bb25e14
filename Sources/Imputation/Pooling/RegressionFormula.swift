import Foundation

/// A regression written as R writes one, "y ~ x1 + x2", resolved against a table's column names.
/// The intercept is always included (`y ~ x1 + 1` and `y ~ 1 + x1` say so explicitly, as in R;
/// `y ~ 1` is the mean alone); the names must be columns of the table (no transformations,
/// interactions, "." or removing the intercept). A name with spaces or symbols, `~` and `+`
/// included, is written in backticks: `my column`.
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
        func failure(_ why: String) -> ParseError {
            ParseError(description: "cannot read the formula \"\(text)\": \(why) (write it as \"y ~ x1 + x2\")")
        }
        guard let sides = Self.split(text, at: "~") else { throw failure("a backtick is not closed") }
        guard sides.count == 2 else { throw failure(sides.count == 1 ? "it has no ~" : "it has more than one ~ (a name with ~ goes in backticks)") }
        let left = Self.split(sides[0], at: "+") ?? []
        guard left.count == 1 else { throw failure("the left side must be one column") }
        guard let name = try Self.term(left[0], failure), !name.isEmpty else { throw failure("the response, left of ~, is missing") }
        let right = Self.split(sides[1], at: "+") ?? []
        if right.count == 1, right[0].trimmingCharacters(in: .whitespaces).isEmpty {
            throw failure("the right side is empty; \"y ~ 1\" is the mean alone")
        }
        var names: [String] = []
        for raw in right {
            guard let term = try Self.term(raw, failure) else { continue }   // 1: the intercept, always included
            if term.isEmpty { throw failure("a term is empty") }
            names.append(term)
        }
        func resolve(_ name: String) throws -> Int {
            guard let j = columns.firstIndex(of: name) else {
                throw ParseError(description: "unknown column \"\(name)\" in the formula (the columns are \(columns.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            return j
        }
        response = try resolve(name)
        predictors = try names.map(resolve)
        if predictors.contains(response) {
            throw ParseError(description: "the formula \"\(text)\" has its response \"\(columns[response])\" among the predictors")
        }
        if Set(predictors).count != predictors.count {
            throw ParseError(description: "the formula \"\(text)\" lists a predictor twice")
        }
    }

    /// `text` split at each `separator` outside backticks; nil when a backtick is not closed.
    static func split(_ text: some StringProtocol, at separator: Character) -> [String]? {
        var parts: [String] = [], current = "", quoted = false
        for c in text {
            if c == "`" { quoted.toggle() }
            if c == separator && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        return quoted ? nil : parts + [current]
    }

    /// A term's column name, backticks removed; nil for the intercept `1`. A name in backticks
    /// is taken as written; one without may hold no backtick, and 0 or -1 (R's way of dropping
    /// the intercept) are refused.
    static func term(_ raw: String, _ failure: (String) -> ParseError) throws -> String? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, t.hasPrefix("`"), t.hasSuffix("`") {
            let inner = t.dropFirst().dropLast()
            if inner.isEmpty || inner.contains("`") { throw failure("one name per pair of backticks in \(t)") }
            return String(inner)
        }
        if t.contains("`") { throw failure("text outside the backticks of \(t)") }
        if t == "1" { return nil }
        if t == "0" || t.hasPrefix("-") || t.contains(" -") { throw failure("the intercept is always included (0 and -1 are not supported)") }
        return t
    }
}

/// A comma-separated list of column names (`miri analyze --mean a,b`), resolved against a
/// table's header: each name once, none empty; a name with a comma goes in backticks.
package enum ColumnList {
    package static func parse(_ text: String, option: String, columns: [String]) throws -> [Int] {
        guard let parts = RegressionFormula.split(text, at: ",") else {
            throw RegressionFormula.ParseError(description: "\(option) \"\(text)\": a backtick is not closed")
        }
        let names = parts.map { raw -> String in
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.count >= 2, t.hasPrefix("`"), t.hasSuffix("`") { return String(t.dropFirst().dropLast()) }
            return t
        }
        if names.contains(where: \.isEmpty) {
            throw RegressionFormula.ParseError(description: "\(option) \"\(text)\": a column name is empty (write it as a,b)")
        }
        var seen = Set<Int>()
        return try names.map { name in
            guard let j = columns.firstIndex(of: name) else {
                throw RegressionFormula.ParseError(description: "\(option): unknown column \"\(name)\" (the columns are \(columns.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            if !seen.insert(j).inserted { throw RegressionFormula.ParseError(description: "\(option) \"\(text)\" lists \"\(name)\" twice") }
            return j
        }
    }
}
