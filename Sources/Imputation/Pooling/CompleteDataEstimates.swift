/// One completed table's analysis: per term, the estimate and its variance (the squared
/// standard error), and the complete-data degrees of freedom (what the analysis would have had
/// without missing data: n − 1 for a mean, n − p for a regression with p coefficients).
///
/// Any estimator can be pooled: return one of these from a closure
/// (`MultipleImputation.pool(_:level:analysis:)`).
public struct CompleteDataEstimates: Sendable, Equatable {
    /// The terms' names ("mean(x)", "(Intercept)", "x1"…), the same in every imputation.
    public var terms: [String]
    /// The estimates, one per term.
    public var estimates: [Double]
    /// Their variances, one per term.
    public var variances: [Double]
    /// The complete-data degrees of freedom ν_com (`.infinity` for a large-sample estimator).
    public var degreesOfFreedom: Double

    public init(terms: [String], estimates: [Double], variances: [Double], degreesOfFreedom: Double) {
        precondition(terms.count == estimates.count && terms.count == variances.count, "one estimate and one variance per term")
        self.terms = terms
        self.estimates = estimates
        self.variances = variances
        self.degreesOfFreedom = degreesOfFreedom
    }
}

/// Why m analyses cannot be pooled, or a completed table cannot be analysed. One line each.
public enum PoolingError: Error, Equatable, CustomStringConvertible {
    /// Rubin's rules need m ≥ 2 imputations (B is a variance over them).
    case tooFewImputations(Int)
    /// Imputation `index` (from 1) has other terms than the first.
    case termsDiffer(imputation: Int)
    /// A variance or estimate that is negative, NaN or infinite (`term`, imputation from 1).
    case invalidEstimate(term: String, imputation: Int)
    /// T = 0 or Ū = 0: the term does not vary, so it has no interval.
    case zeroVariance(term: String)
    /// The design of a regression is singular: these predictors are constant or collinear.
    case singularDesign(terms: [String])
    /// Too few rows for the parameters (a regression needs n > p, a mean n ≥ 2).
    case tooFewRows(rows: Int, needed: Int)
    /// A column index beyond the table, or a response among its own predictors.
    case badColumn(String)
    /// The completed table still misses entries in a column the analysis reads (row, column from 0).
    case missingValue(row: Int, column: Int)
    /// The confidence level is not in (0, 1).
    case badLevel(Double)
    /// A pooled quantity of `term` overflowed a Double (estimates near ±1.8e308).
    case pooledOutOfRange(term: String)

    public var description: String {
        switch self {
        case let .tooFewImputations(m): return "pooling needs at least 2 imputations (got \(m))"
        case let .termsDiffer(k): return "imputation \(k) has other terms than imputation 1"
        case let .invalidEstimate(term, k): return "imputation \(k): the estimate or variance of \(term) is not a finite number (variance ≥ 0)"
        case let .zeroVariance(term): return "\(term) has zero variance in every imputation, so it has no interval"
        case let .singularDesign(terms):
            return "the regression's design is singular: \(terms.joined(separator: ", ")) "
                + (terms.count == 1 ? "is constant" : "are collinear (or constant)")
        case let .tooFewRows(rows, needed): return "\(rows) rows are too few: the analysis needs at least \(needed)"
        case let .badColumn(message): return message
        case let .missingValue(row, column): return "row \(row + 1), column \(column + 1): the completed table still misses this entry"
        case let .badLevel(level): return "the confidence level must be between 0 and 1 (got \(level))"
        case let .pooledOutOfRange(term): return "the pooled variance of \(term) is beyond the range of a 64-bit float (about 1.8e308); rescale the column"
        }
    }
}
