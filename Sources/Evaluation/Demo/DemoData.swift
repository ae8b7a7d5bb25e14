import Imputation
import Linalg

/// A table with a known truth, built in code, for `miri demo`.
package struct DemoDataset {
    /// A short name for files ("two-moons").
    package var slug: String
    /// A title for tables and plots.
    package var title: String
    package var columns: [String]
    /// The complete table (no NaN).
    package var truth: Matrix
}

/// The demo's two tables (`SyntheticTables`). Both come from one seeded `RandomSource`, so a seed fixes them.
package enum DemoData {
    package static func twoMoons(rows n: Int, random: inout RandomSource) -> DemoDataset {
        DemoDataset(slug: "two-moons", title: "two moons", columns: ["x", "y"],
                    truth: SyntheticTables.twoMoons(rows: n, random: &random))
    }

    package static func copula(rows n: Int, random: inout RandomSource) -> DemoDataset {
        DemoDataset(slug: "copula", title: "copula table", columns: SyntheticTables.copulaColumns,
                    truth: SyntheticTables.copula(rows: n, random: &random))
    }
}
