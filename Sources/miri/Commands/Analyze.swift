import ArgumentParser
import Foundation
import Imputation
import Linalg
import MIRI
import ModelStore
import Plotting
import TableIO
import MIRI

extension Miri {
    /// `miri analyze`: multiple-imputation inference. Draws m completions of a table from a model
    /// (or reads m completed tables), analyses each, pools with Rubin's rules (`RubinPooling`),
    /// prints the pooled table. Parses, calls the library, prints; nothing else.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pool an analysis of multiple imputations with Rubin's rules (means, a linear regression).",
            discussion: """
                Either a model written by `miri fit` (MIRI or MICE) and the table to analyse, from which --draws m \
                completed tables are drawn (draw k from seed S + k - 1, as `miri apply --draws` numbers them), or m \
                completed CSV files with the same header (for instance OUT.1.csv ... OUT.m.csv of `miri apply --draws`).

                Each completed table is analysed (--mean: column means, variance s^2/n, complete-data df n - 1; \
                --regress "y ~ x1 + x2": least squares with an intercept, df n - p) and the m analyses are pooled: \
                estimate, std.error = sqrt(T), statistic, Barnard-Rubin df, p.value, the --level interval and the \
                fraction of missing information, like R mice's summary(pool(fit)). --json prints the same as JSON with \
                U-bar, B, T, r and lambda. --plot FILE.svg draws each imputed column's observed density beside its \
                imputed density over the m draws (mice's densityplot; needs a model and table). Nothing else is written.

                Bad input (an unknown column, a formula that cannot be read, m < 2, a singular design, a completed \
                table with missing cells) exits with one line and status 2.
                """
        )

        @Argument(help: ArgumentHelp("A model file and a table (M.miri IN.csv), or m completed CSV files.", valueName: "FILE"))
        var files: [String]

        @Option(help: ArgumentHelp("Completed tables to draw from the model (m, at least 2).", valueName: "m"))
        var draws: Int = 5

        @Option(help: "Seed of draw 1 (default: the seed the model was fitted with).")
        var seed: UInt64?

        @Option(help: ArgumentHelp("Columns whose means to pool, comma separated.", valueName: "COLS"))
        var mean: String?

        @Option(help: ArgumentHelp("A linear regression to pool, with an intercept: \"y ~ x1 + x2\".", valueName: "FORMULA"))
        var regress: String?

        @Option(help: "Level of the intervals.")
        var level: Double = 0.95

        @Flag(help: "Print JSON instead of the table.")
        var json = false

        @Option(help: ArgumentHelp("Write the observed and imputed densities of each imputed column here.", valueName: "FILE.svg"))
        var plot: String?

        @OptionGroup var threading: ThreadsOption

        func validate() throws {
            if files.isEmpty { throw ValidationError("give a model and a table, or m completed CSV files") }
            if mean == nil && regress == nil { throw ValidationError("say what to pool: --mean COLS and/or --regress \"y ~ x1 + x2\"") }
            if !(level > 0 && level < 1) { throw ValidationError("--level must be between 0 and 1 (got \(level))") }
            // Every draw is held in memory until the pooling: the cap of `apply --draws`.
            if draws > StreamingImputation.maxDraws {
                throw ValidationError("--draws is at most \(StreamingImputation.maxDraws) (got \(draws)): each draw is a full imputation of the table")
            }
        }

        func run() throws {
            do {
                // A directory can never take the picture: refused before the draws, as -o is.
                if let plot { try OutputPath.check(plot) }
                let completed = try completedTables()
                var pooled: [PooledEstimate] = []
                if let mean {
                    let columns = try ColumnList.parse(mean, option: "--mean", columns: completed.header)
                    pooled += try MultipleImputation.pool(completed.tables, estimand: .means(columns), names: completed.header, level: level)
                }
                if let regress {
                    let formula = try RegressionFormula(regress, columns: completed.header)
                    pooled += try MultipleImputation.pool(completed.tables, estimand: .regression(response: formula.response, predictors: formula.predictors),
                                                          names: completed.header, level: level)
                }
                if let plot, let observed = completed.observed {
                    let svg = DensityPlot.svg(observed: observed.storage, rows: observed.rows, cols: observed.cols,
                                              draws: completed.drawn, names: completed.header,
                                              title: "Observed (blue) and imputed (red, \(completed.tables.count) draws) densities")
                    try TableOutput.write(Data(svg.utf8), to: plot)
                }
                print(json ? AnalyzeReport.json(pooled, source: completed.source) : AnalyzeReport.table(pooled, level: level), terminator: "")
            } catch let error as PoolingError {
                Failure(message: error.description, status: ExitStatus.badInput).exit()
            } catch let error as RegressionFormula.ParseError {
                Failure(message: error.description, status: ExitStatus.badInput).exit()
            } catch {
                Failure(error, source: files.last ?? "").exit()
            }
        }

        /// The m completed tables in Double (observed cells as written), their header, and (model
        /// and table) the table with its missing cells and the draws as imputed, for the plot.
        struct Completed {
            var header: [String]
            var tables: [CompletedTable]
            var observed: Matrix?
            var drawn: [[Float]] = []
            var source: String
        }

        func completedTables() throws -> Completed {
            if let modelPath = try modelFile() {
                guard files.count == 2 else {
                    throw Failure(message: "a model takes one table to analyse: miri analyze \(modelPath) IN.csv", status: ExitStatus.usage)
                }
                if draws < 2 { throw PoolingError.tooFewImputations(draws) }
                var model = try FittedModelFile.read(path: modelPath)
                model.compute = threading.context
                if let schema = model.schema, schema.table.kinds.contains(where: { $0 != .numeric && $0 != .integer }) {
                    throw Failure(message: "\(modelPath): the model has category or pass-through columns; analyze pools tables of numbers",
                                  status: ExitStatus.badInput)
                }
                let table = try CSVTable.read(path: files[1])
                if let names = model.columnNames, names != table.header {
                    let got = table.header.map { "\"\($0)\"" }.joined(separator: ", ")
                    throw Failure(message: "\(files[1]): the columns (\(got)) are not the model's (\(names.map { "\"\($0)\"" }.joined(separator: ", ")))",
                                  status: ExitStatus.badInput)
                }
                let start = seed ?? model.defaultSeed
                var randoms = MultipleDraws.generators(count: draws, seed: start)
                let drawn = try model.draws(table.values, randoms: &randoms, shouldStop: nil)
                // The observed cells enter the analysis as written, the imputed ones as `apply --draws`
                // writes them (a Float's shortest text, its `description`), so pooling those files
                // gives the same numbers.
                let exact = table.doubleValues()
                let tables = drawn.map { draw in
                    CompletedTable(rows: draw.rows, cols: draw.cols, storage: zip(exact, draw.storage).map { observed, imputed in
                        observed.isNaN ? Double(imputed.description) ?? Double(imputed) : observed
                    })
                }
                return Completed(header: table.header, tables: tables, observed: table.values, drawn: drawn.map(\.storage),
                                 source: "\(draws) draws of \(files[1]) from \(modelPath), seed \(start)")
            }
            if plot != nil {
                throw Failure(message: "--plot needs a model and a table (completed files do not say which cells were imputed)", status: ExitStatus.usage)
            }
            if files.count < 2 { throw PoolingError.tooFewImputations(files.count) }
            let read = try files.map { try CSVTable.readDoubles(path: $0) }
            let first = read[0].table
            for (path, (table, values)) in zip(files, read) {
                if table.header != first.header {
                    throw Failure(message: "\(path): its columns are not those of \(files[0])", status: ExitStatus.badInput)
                }
                if table.values.rows != first.values.rows {
                    throw Failure(message: "\(path): \(table.values.rows) rows, but \(files[0]) has \(first.values.rows); "
                                  + "the completed tables of one table have its rows", status: ExitStatus.badInput)
                }
                if let k = values.firstIndex(where: { $0.isNaN }) {
                    let i = k / table.values.cols, j = k % table.values.cols
                    throw Failure(message: "\(path): \(Failure.place(row: i, column: j, in: table)): a completed table has a missing cell",
                                  status: ExitStatus.badInput)
                }
            }
            return Completed(header: first.header, tables: read.map { CompletedTable(rows: $0.table.values.rows, cols: $0.table.values.cols, storage: $0.values) },
                             observed: nil, source: "\(files.count) completed tables")
        }

        /// The first file when it is a model (its first bytes are a model file's magic).
        func modelFile() throws -> String? {
            guard let first = files.first, let handle = FileHandle(forReadingAtPath: first) else { return nil }
            defer { try? handle.close() }
            let head = (try? handle.read(upToCount: 8)) ?? Data()
            return ["MIRIMODL", "MIRIMICE", "MIRICKPT"].contains(String(decoding: head, as: UTF8.self)) ? first : nil
        }
    }
}
