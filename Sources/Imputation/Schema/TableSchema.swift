import Linalg

/// The kind of every column, the categories of the categorical ones, and how they are encoded
/// for the imputers: what a fitted model must keep to complete new tables the same way.
///
/// Encoding: numeric and integer columns go to the imputers as they are; a categorical column
/// with K categories becomes K one-hot columns holding `oneHotScale` for its category and 0
/// for the others (all NaN when the cell is missing); pass-through columns are left out.
/// Decoding takes the arg-max of each block (ties: the more frequent category).
///
/// Why `oneHotScale`: kNN measures nan-Euclidean distance on the values as given, so a
/// category mismatch (two entries differing by the scale) adds 2·scale² to the squared
/// distance. With scale² = the mean variance of the numeric columns, a mismatch counts as much
/// as the expected squared difference of two random rows in an average numeric column — the
/// spirit of Gower's distance, where a mismatch counts as one full range. MIRI standardizes
/// every column and the mean imputer takes frequencies, so for them the scale is immaterial.
public struct TableSchema: Sendable, Equatable, Codable {
    /// At most this many categories in a categorical column (one-hot width stays bounded).
    public static let categoryLimit = 100

    /// The table's column names, in order.
    public var names: [String]
    /// Each column's kind.
    public var kinds: [ColumnKind]
    /// Per column: the categories, most frequent first (ties: first seen); empty unless categorical.
    public var categories: [[String]]
    /// The value of a one-hot entry that is "on".
    public var oneHotScale: Float

    /// A schema from its parts (one entry per column in each list).
    public init(names: [String], kinds: [ColumnKind], categories: [[String]], oneHotScale: Float) {
        self.names = names
        self.kinds = kinds
        self.categories = categories
        self.oneHotScale = oneHotScale
    }

    /// Every column numeric, as a table of numbers was imputed before kinds existed.
    public static func allNumeric(names: [String]) -> TableSchema {
        TableSchema(names: names, kinds: names.map { _ in .numeric }, categories: names.map { _ in [] }, oneHotScale: 1)
    }

    /// Whether the encoding is the identity: every column numeric or integer.
    public var isNumericOnly: Bool { !kinds.contains(.categorical) && !kinds.contains(.passThrough) }

    /// Columns of the encoded table each source column spans.
    public var encodedRanges: [Range<Int>] {
        var start = 0
        return kinds.indices.map { j in
            let width: Int
            switch kinds[j] {
            case .numeric, .integer: width = 1
            case .categorical: width = categories[j].count
            case .passThrough: width = 0
            }
            defer { start += width }
            return start..<(start + width)
        }
    }

    /// A one-line summary: "9 numeric, 1 integer, 2 categorical (gear, colour), 1 passed through (id)".
    public var summary: String {
        func names(_ kind: ColumnKind) -> String {
            kinds.indices.filter { kinds[$0] == kind }.map { self.names[$0] }.joined(separator: ", ")
        }
        var parts: [String] = []
        for (kind, label) in [(ColumnKind.numeric, "numeric"), (.integer, "integer"), (.categorical, "categorical"), (.passThrough, "passed through")] {
            let count = kinds.filter { $0 == kind }.count
            guard count > 0 else { continue }
            parts.append(kind == .numeric || kind == .integer ? "\(count) \(label)" : "\(count) \(label) (\(names(kind)))")
        }
        return parts.joined(separator: ", ")
    }
}

extension TableSchema {
    /// Names of the encoded table's columns: a numeric column's own, `name=category` for each
    /// one-hot column (for checkpoints and messages). An all-numeric schema gives `names`.
    public var encodedNames: [String] {
        kinds.indices.flatMap { j -> [String] in
            switch kinds[j] {
            case .numeric, .integer: return [names[j]]
            case .categorical: return categories[j].map { "\(names[j])=\($0)" }
            case .passThrough: return []
            }
        }
    }
}
