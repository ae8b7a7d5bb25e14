import Flow
import Imputation
import Linalg
import Testing

/// Every imputer, for the contract suite: built with a given compute context.
enum ContractMethod: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case mean, knn, mice, miri

    var testDescription: String { rawValue }

    /// A tiny MIRI: two rounds of a few steps, enough to exercise every path in well under a second.
    static let tinyMIRI = MIRIConfiguration(rounds: 2, epochs: 2, batchSize: 32, odeSteps: 3, hiddenWidths: [16],
                                            learningRate: 1e-3, seed: 5, odeBlockRows: 16, chainRows: 64)

    func imputer(threads: Int = 1) -> any Imputer {
        let compute = ComputeContext(threads: threads)
        return ImputationMethod(rawValue: rawValue)!.makeImputer(.init(seed: Self.tinyMIRI.seed, compute: compute, neighbors: 3, blockRows: 7, miri: Self.tinyMIRI))
    }

    /// Fewest rows the method accepts (MIRI pairs rows, so it needs two).
    var minimumRows: Int { self == .miri ? 2 : 1 }
}

/// One contract over every imputer (mean, kNN, MICE, MIRI): the shared checks of `Imputer` and
/// `FittedImputer`, each run for all four methods.
@Suite("imputer contract")
struct ImputerContractTests {
    /// 40 rows of three correlated columns, about a quarter of the cells missing (none of the
    /// columns entirely), and one row missing everything.
    static let table: Matrix = {
        var masked = Synthetic.mcar(Synthetic.equicorrelated(rows: 40, columns: 3, rho: 0.8, seed: 11), rate: 0.25, seed: 12)
        for j in 0..<3 { masked[7, j] = .nan }
        return masked
    }()

    /// Other rows with the same columns, never seen in the fits.
    static let newRows = Matrix([[0.5, .nan, -0.25], [.nan, .nan, .nan], [1, 2, 3], [.nan, 1.5, .nan]])

    @Test("completes the table: same shape, observed cells bit for bit, no NaN", arguments: ContractMethod.allCases)
    func completes(_ method: ContractMethod) throws {
        let result = try method.imputer().impute(Self.table)
        ImputerContract.expectCompletes(result.imputed, Self.table)
        #expect(result.imputedCount == Self.table.storage.filter(\.isNaN).count)
    }

    @Test("fit then transform on the training table equals impute, bit for bit", arguments: ContractMethod.allCases)
    func fitThenTransform(_ method: ContractMethod) throws {
        let imputer = method.imputer()
        let direct = try imputer.impute(Self.table).imputed
        let model = try imputer.fit(Self.table)
        let transformed = try model.transform(Self.table).imputed
        #expect(transformed.storage.map(\.bitPattern) == direct.storage.map(\.bitPattern))
    }

    @Test("a fitted imputer completes rows it never saw, and refuses other columns", arguments: ContractMethod.allCases)
    func transformsNewRows(_ method: ContractMethod) throws {
        let model = try method.imputer().fit(Self.table)
        ImputerContract.expectCompletes(try model.transform(Self.newRows, seed: 1).imputed, Self.newRows)
        #expect(throws: ModelMismatch.columns(expected: 3, got: 2)) { try model.transform(Matrix([[1, .nan]])) }
        #expect(throws: InputError.infinite(row: 0, column: 1)) { try model.transform(Matrix([[1, -.infinity, .nan]])) }
        let complete = Matrix([[1, 2, 3]]), none = Matrix(rows: 0, cols: 3)
        #expect(try model.transform(complete).imputed == complete)
        #expect(try model.transform(none).imputed == none)
    }

    @Test("a table with nothing missing comes back as it is", arguments: ContractMethod.allCases)
    func nothingMissing(_ method: ContractMethod) throws {
        let complete = Synthetic.equicorrelated(rows: 12, columns: 3, rho: 0.5, seed: 2)
        let result = try method.imputer().impute(complete)
        #expect(result.imputed.storage.map(\.bitPattern) == complete.storage.map(\.bitPattern))
        #expect(result.imputedCount == 0)
    }

    /// Bad tables and the error each must give, named row and column counted from 0.
    static let badTables: [(String, Matrix, InputError)] = [
        ("no rows", Matrix(rows: 0, cols: 3), .empty),
        ("no columns", Matrix(rows: 3, cols: 0), .empty),
        ("+inf", Matrix([[1, 2], [3, .nan], [5, .infinity]]), .infinite(row: 2, column: 1)),
        ("-inf", Matrix([[-.infinity, .nan], [1, 2]]), .infinite(row: 0, column: 0)),
        ("a column with no observed value", Matrix([[1, .nan], [2, .nan], [3, .nan]]), .columnWithoutObservations(column: 1)),
    ]

    @Test("every InputError, from impute and from fit", arguments: ContractMethod.allCases, badTables.indices)
    func inputErrors(_ method: ContractMethod, _ index: Int) {
        let (_, table, error) = Self.badTables[index]
        #expect(throws: error) { try method.imputer().impute(table) }
        #expect(throws: error) { try method.imputer().fit(table) }
    }

    @Test("one row: MIRI needs two to pair, the others complete it", arguments: ContractMethod.allCases)
    func oneRow(_ method: ContractMethod) throws {
        let row = Matrix([[1, 2, 3]])
        if method.minimumRows > 1 {
            #expect(throws: InputError.tooFewRows(needed: method.minimumRows, got: 1)) { try method.imputer().fit(row) }
        } else {
            #expect(try method.imputer().fit(row).transform(row).imputed == row)
        }
        // One row cannot teach a column it misses.
        #expect(throws: InputError.columnWithoutObservations(column: 1)) { try method.imputer().impute(Matrix([[1, .nan, 3]])) }
    }

    @Test("the same seed gives the same bits; MIRI's draws change with the seed", arguments: ContractMethod.allCases)
    func deterministic(_ method: ContractMethod) throws {
        let a = try method.imputer().impute(Self.table).imputed
        let b = try method.imputer().impute(Self.table).imputed
        #expect(a.storage.map(\.bitPattern) == b.storage.map(\.bitPattern))
        let model = try method.imputer().fit(Self.table)
        let one = try model.transform(Self.newRows, seed: 1).imputed, again = try model.transform(Self.newRows, seed: 1).imputed
        #expect(one.storage.map(\.bitPattern) == again.storage.map(\.bitPattern))
        let other = try model.transform(Self.newRows, seed: 2).imputed
        #expect((other == one) == (method != .miri), "only MIRI draws")
    }

    @Test("two imputations at once in one process give what each gives alone", arguments: ContractMethod.allCases)
    func concurrent(_ method: ContractMethod) async throws {
        // Different thread counts at the same time: nothing one sets may reach the other.
        let alone1 = try method.imputer(threads: 1).impute(Self.table).imputed
        let alone2 = try method.imputer(threads: 2).impute(Self.table).imputed
        let model = try method.imputer(threads: 2).fit(Self.table)
        let applied = try model.transform(Self.newRows, seed: 4).imputed
        async let first = Task.detached { try method.imputer(threads: 1).impute(Self.table).imputed }.value
        async let second = Task.detached { try method.imputer(threads: 2).impute(Self.table).imputed }.value
        async let third = Task.detached { try model.transform(Self.newRows, seed: 4).imputed }.value
        let (one, two, three) = try await (first, second, third)
        #expect(one.storage.map(\.bitPattern) == alone1.storage.map(\.bitPattern))
        #expect(two.storage.map(\.bitPattern) == alone2.storage.map(\.bitPattern))
        #expect(three.storage.map(\.bitPattern) == applied.storage.map(\.bitPattern))
    }
}
