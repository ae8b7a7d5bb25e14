import Linalg

/// What to estimate in each completed table.
public enum Estimand: Sendable, Equatable {
    /// The means of these columns (from 0).
    case means([Int])
    /// Ordinary least squares of `response` on `predictors`, with an intercept.
    case regression(response: Int, predictors: [Int])

    /// This estimand's analysis of one completed table (`CompleteDataAnalysis`).
    public func analyze(_ table: Matrix, names: [String]? = nil) throws -> CompleteDataEstimates {
        try analyze(CompletedTable(table), names: names)
    }

    /// The same analysis of a table in Double.
    public func analyze(_ table: CompletedTable, names: [String]? = nil) throws -> CompleteDataEstimates {
        switch self {
        case let .means(columns): return try CompleteDataAnalysis.means(table, columns: columns, names: names)
        case let .regression(response, predictors):
            return try CompleteDataAnalysis.regression(table, response: response, predictors: predictors, names: names)
        }
    }
}

/// Multiple-imputation inference: analyse each of m completed tables, pool with Rubin's rules
/// (`RubinPooling`). R's mice does this with `with()` and `pool()`.
///
///     let model = try MICEImputer().fit(table)
///     let pooled = try model.pool(table, draws: 20, seed: 1, estimand: .regression(response: 2, predictors: [0, 1]))
///     for p in pooled { print(p.term, p.estimate, p.standardError, p.lower, p.upper, p.fmi) }
///
/// Any estimator pools through the closure form: return its estimates and variances as
/// `CompleteDataEstimates`.
public enum MultipleImputation {
    /// Pools `estimand` over `tables` (m ≥ 2 completed tables with the same columns).
    public static func pool(_ tables: [Matrix], estimand: Estimand, names: [String]? = nil,
                            level: Double = 0.95) throws -> [PooledEstimate] {
        try pool(tables, level: level) { try estimand.analyze($0, names: names) }
    }

    /// Pools `estimand` over completed tables in Double (numbers read as written, `miri analyze`).
    public static func pool(_ tables: [CompletedTable], estimand: Estimand, names: [String]? = nil,
                            level: Double = 0.95) throws -> [PooledEstimate] {
        guard tables.count >= 2 else { throw PoolingError.tooFewImputations(tables.count) }
        return try RubinPooling.pool(tables.map { try estimand.analyze($0, names: names) }, level: level)
    }

    /// Pools a user's estimator: `analysis` runs on each completed table.
    public static func pool(_ tables: [Matrix], level: Double = 0.95,
                            analysis: (Matrix) throws -> CompleteDataEstimates) throws -> [PooledEstimate] {
        guard tables.count >= 2 else { throw PoolingError.tooFewImputations(tables.count) }
        return try RubinPooling.pool(tables.map(analysis), level: level)
    }
}

extension FittedImputer {
    /// `m` draws of `data` (draw k from seed + k − 1, the seed defaulting to the fit's, as
    /// `miri apply --draws` numbers them), each analysed, pooled with Rubin's rules.
    /// A point imputer (mean, kNN) gives m equal tables: B = 0, the intervals of single imputation.
    public func pool(_ data: Matrix, draws m: Int, seed: UInt64? = nil, level: Double = 0.95,
                     analysis: (Matrix) throws -> CompleteDataEstimates) throws -> [PooledEstimate] {
        guard m >= 2 else { throw PoolingError.tooFewImputations(m) }
        let first = seed ?? defaultSeed
        var randoms = MultipleDraws.generators(count: m, seed: first)
        return try MultipleImputation.pool(try draws(data, randoms: &randoms, shouldStop: nil), level: level, analysis: analysis)
    }

    /// The same with a built-in estimand; `names` label the terms (default: the model's column names).
    public func pool(_ data: Matrix, draws m: Int, seed: UInt64? = nil, estimand: Estimand, names: [String]? = nil,
                     level: Double = 0.95) throws -> [PooledEstimate] {
        let labels = names ?? columnNames
        return try pool(data, draws: m, seed: seed, level: level) { try estimand.analyze($0, names: labels) }
    }
}
