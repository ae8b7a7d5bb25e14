import Testing
import Imputation
import Linalg

private let nan = Float.nan

@Suite("Fitted MICE: imputing new rows, draws")
struct FittedMICETests {
    @Test("scikit-learn's IterativeImputer docstring example: fit on three rows, transform three others")
    func docstringExample() throws {
        // imp = IterativeImputer(random_state=0).fit([[7, 2, 3], [4, nan, 6], [10, 5, 9]])   # n_iter_ = 2
        // imp.transform([[nan, 2, 3], [4, nan, 6], [10, nan, 9]]) with scikit-learn 1.9.1:
        //   6.9584762289620885, 2.600000399996004, 4.999999333339992.
        // Column 0 is complete in the fit, yet imputed here: its regressions were fitted too.
        let (model, _) = try MICEImputer().fitAndImpute(Matrix([[7, 2, 3], [4, nan, 6], [10, 5, 9]]))
        #expect(model.roundsRun == 2)
        let out = try model.transform(Matrix([[nan, 2, 3], [4, nan, 6], [10, nan, 9]])).imputed
        for (i, j, want) in [(0, 0, 6.9584762289620885), (1, 1, 2.600000399996004), (2, 1, 4.999999333339992)] {
            #expect(abs(Double(out[i, j]) - want) < 2e-6 * abs(want), "(\(i), \(j)): \(out[i, j]) vs \(want)")
        }
        #expect(out[0, 1] == 2 && out[1, 0] == 4 && out[2, 2] == 9)
    }

    @Test("Applied to its training table the model reproduces the fit's imputation bit for bit, whole or row by row")
    func replayReproducesFit() throws {
        for data in [MICEImputerTests.table, KNNImputerTests.randomTable(rows: 70, cols: 5, missingRate: 0.4, seed: 8)] {
            let (model, imputed) = try MICEImputer().fitAndImpute(data)
            #expect(try model.transform(data).imputed == imputed)
            var rowByRow = data
            for i in 0..<data.rows {
                let one = try model.transform(data.rows(i..<(i + 1))).imputed
                for j in 0..<data.cols { rowByRow[i, j] = one[0, j] }
            }
            #expect(rowByRow == imputed)
        }
    }

    @Test("Draws: N(prediction, predictive sd²) around the point imputation, with the data's noise sd")
    func drawsSpread() throws {
        // y = x + N(0, 0.5²); 30 % of y missing. The predictive sd is √(1/α + (x − x̄)ᵀΣ(x − x̄)) ≈ 0.5.
        var random = RandomSource(seed: 40)
        var rows: [[Float]] = []
        for i in 0..<3000 {
            let x = Float(random.normal())
            rows.append([x, i % 10 < 3 ? nan : x + 0.5 * Float(random.normal())])
        }
        let data = Matrix(rows)
        let (model, point) = try MICEImputer().fitAndImpute(data)
        var generator = RandomSource(seed: 1)
        let drawn = try model.draw(data, random: &generator)
        var sum = 0.0, squares = 0.0, count = 0.0
        for i in 0..<data.rows where data[i, 1].isNaN {
            let e = Double(drawn[i, 1] - point[i, 1])
            sum += e
            squares += e * e
            count += 1
        }
        let mean = sum / count, sd = (squares / count - mean * mean).squareRoot()
        #expect(abs(sd - 0.5) < 0.03, "sd of draws around the prediction: \(sd)")
        #expect(abs(mean) < 0.05)
        ImputerContract.expectCompletes(drawn, data)
    }

    @Test("Draws repeat with their seeds, differ between seeds, and continue a stream across calls")
    func drawsDeterministic() throws {
        let data = KNNImputerTests.randomTable(rows: 50, cols: 4, missingRate: 0.3, seed: 2)
        let (model, _) = try MICEImputer().fitAndImpute(data)
        var a = [RandomSource(seed: 3), RandomSource(seed: 4)], b = [RandomSource(seed: 3), RandomSource(seed: 4)]
        let first = try model.draws(data, randoms: &a), again = try model.draws(data, randoms: &b)
        #expect(first == again)
        #expect(first[0] != first[1])
        #expect(try model.draws(data, randoms: &a)[0] != first[0], "the generators advanced")
    }

    @Test("A table with other columns, or ±inf, is refused with the errors imputers give")
    func mismatches() throws {
        let (model, _) = try MICEImputer().fitAndImpute(MICEImputerTests.table)
        #expect(throws: ModelMismatch.columns(expected: 4, got: 3)) { try model.transform(Matrix([[1, 2, nan]])).imputed }
        #expect(throws: InputError.infinite(row: 0, column: 2)) { try model.transform(Matrix([[1, nan, .infinity, 0]])).imputed }
        let empty = Matrix(rows: 0, cols: 4)
        #expect(try model.transform(empty).imputed == empty)
    }
}
