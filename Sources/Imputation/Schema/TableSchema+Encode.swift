import Linalg

/// What fills one missing cell of a mixed table.
public enum ImputedCell: Equatable, Sendable {
    /// A numeric column's value.
    case number(Float)
    /// An integer column's value, rounded (write it without a decimal point).
    case integer(Float)
    /// One of the column's observed categories.
    case category(String)
    /// A pass-through column: the cell stays missing.
    case none
}

/// Encoding a mixed table into the numbers the imputers take, and decoding their output.
extension TableSchema {
    /// The encoded table (see the type's comment) and the number of observed cells holding a
    /// category the schema does not know: those are treated as missing in the encoding (their
    /// text is still written back as it is). An all-numeric schema returns `values` unchanged.
    public func encode(_ table: MixedTable) -> (matrix: Matrix, unseenCategories: Int) {
        if isNumericOnly { return (table.values, 0) }
        let n = table.values.rows
        let ranges = encodedRanges
        let width = ranges.last?.upperBound ?? 0
        var out = Matrix(rows: n, cols: width)
        var unseen = 0
        for j in kinds.indices {
            let range = ranges[j]
            switch kinds[j] {
            case .numeric, .integer:
                for i in 0..<n { out[i, range.lowerBound] = table.values[i, j] }
            case .categorical:
                let index = Dictionary(uniqueKeysWithValues: categories[j].enumerated().map { ($1, $0) })
                let texts = table.texts[j] ?? []
                for i in 0..<n {
                    let text = i < texts.count ? texts[i] : nil
                    guard let text, let c = index[text] else {
                        if text != nil { unseen += 1 }
                        for k in range { out[i, k] = .nan }
                        continue
                    }
                    out[i, range.lowerBound + c] = oneHotScale
                }
            case .passThrough:
                break
            }
        }
        return (out, unseen)
    }

    /// The cells that fill `table`'s missing ones, from the imputers' output on `encode(table)`.
    public func decode(_ imputed: Matrix, for table: MixedTable, roundIntegers: Bool = true) -> MixedCompletion {
        let n = table.values.rows, d = kinds.count
        let ranges = encodedRanges
        var values = Matrix(rows: n, cols: d, repeating: .nan)
        for j in 0..<d {
            let range = ranges[j]
            for i in 0..<n where table.isMissing(i, j) {
                switch kinds[j] {
                case .numeric:
                    values[i, j] = imputed[i, range.lowerBound]
                case .integer:
                    let v = imputed[i, range.lowerBound]
                    values[i, j] = roundIntegers ? v.rounded() : v
                case .categorical:
                    values[i, j] = Float(Self.argmax(imputed, row: i, range))
                case .passThrough:
                    break
                }
            }
        }
        return MixedCompletion(schema: self, values: values, roundIntegers: roundIntegers)
    }

    /// Encodes `table`, completes it with `imputer`, decodes: the whole round trip.
    public func impute<I: Imputer>(_ table: MixedTable, with imputer: I, roundIntegers: Bool = true) throws -> MixedCompletion {
        try impute(table, roundIntegers: roundIntegers) { try imputer.impute($0).imputed }
    }

    /// Encodes `table`, completes the encoded numbers with `completeEncoded` (a table with NaN
    /// for missing in, the same table completed out), decodes. The command line passes MIRI's
    /// run with its progress display and checkpoints here.
    public func impute(_ table: MixedTable, roundIntegers: Bool = true,
                       completeEncoded: (Matrix) throws -> Matrix) throws -> MixedCompletion {
        let encoded = encode(table).matrix
        // Missing cells only in pass-through columns leave nothing to impute.
        let imputed = encoded.storage.contains(where: { $0.isNaN }) ? try mappingColumns { try completeEncoded(encoded) } : encoded
        return decode(imputed, for: table, roundIntegers: roundIntegers)
    }

    /// The table's column that encoded column `k` belongs to (a one-hot column: its categorical one).
    public func sourceColumn(ofEncoded k: Int) -> Int {
        encodedRanges.firstIndex { $0.contains(k) } ?? k
    }

    /// The first largest entry of `row` within `range` (NaN never wins), relative to its start.
    static func argmax(_ m: Matrix, row i: Int, _ range: Range<Int>) -> Int {
        var best = 0, bestValue = -Float.infinity
        for (c, k) in range.enumerated() where m[i, k] > bestValue { best = c; bestValue = m[i, k] }
        return best
    }
}

/// A mixed table's imputed cells: numbers on the original columns, the category's index in a
/// categorical column, NaN elsewhere (observed cells and pass-through columns).
public struct MixedCompletion: Sendable {
    /// The column kinds the completion decodes with.
    public var schema: TableSchema
    /// n × d; see the type's comment.
    public var values: Matrix
    /// Whether integer columns' imputed values are rounded.
    public var roundIntegers: Bool

    /// What fills missing cell (i, j); `.none` for pass-through columns or a cell that is not missing.
    public func cell(_ i: Int, _ j: Int) -> ImputedCell {
        let v = values[i, j]
        guard !v.isNaN else { return .none }
        switch schema.kinds[j] {
        case .numeric: return .number(v)
        case .integer: return roundIntegers ? .integer(v) : .number(v)
        case .categorical: return .category(schema.categories[j][Int(v)])
        case .passThrough: return .none
        }
    }
}
