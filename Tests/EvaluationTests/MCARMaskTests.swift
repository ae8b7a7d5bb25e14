import Evaluation
import Imputation
import Linalg
import Testing

@Suite("MCAR mask (BENCHMARK.md)")
struct MCARMaskTests {
    @Test("SplitMix64 with seed 1 gives the benchmark's first four uniforms")
    func splitMixReference() {
        var generator = SplitMix64(seed: 1)
        let expected = [0.56656158, 0.74578176, 0.97100275, 0.44435922]
        for value in expected {
            #expect(abs(generator.nextUniform() - value) < 1e-8)
        }
    }

    @Test("Entries are visited row-major and missing exactly when u < rate")
    func rowMajorThreshold() {
        // Seed 1's first twelve uniforms: 0.5666 0.7458 0.9710 0.4444 | 0.4443 0.7629 0.8773 0.5231 |
        // 0.2855 0.7940 0.4041 0.6054 (computed with the reference formula in Python).
        // Rate 0.4: only u₈ = 0.2855 is below it → entry (2, 0) of a 3 × 4 table.
        let at40 = MCARMask.mask(rows: 3, cols: 4, rate: 0.4, seed: 1)
        #expect(at40.storage == [1, 1, 1, 1,  1, 1, 1, 1,  0, 1, 1, 1])
        // Rate 0.45 adds u₃ = 0.44436, u₄ = 0.44426 and u₁₀ = 0.40414.
        let at45 = MCARMask.mask(rows: 3, cols: 4, rate: 0.45, seed: 1)
        #expect(at45.storage == [1, 1, 1, 0,  0, 1, 1, 1,  0, 1, 0, 1])
        // Shape matters only through the row-major count: 4 × 3 sees the same sequence.
        #expect(MCARMask.mask(rows: 4, cols: 3, rate: 0.45, seed: 1).storage == at45.storage)
    }

    @Test("The missing share is 0.4 within four binomial standard deviations")
    func rateMatches() {
        let n = 200, d = 50
        for seed: UInt64 in [1, 2, 3] {
            let observed = MCARMask.mask(rows: n, cols: d, rate: 0.4, seed: seed)
            let missing = Double(observed.storage.filter { $0 == 0 }.count) / Double(n * d)
            let sd = (0.4 * 0.6 / Double(n * d)).squareRoot()     // ≈ 0.0049
            #expect(abs(missing - 0.4) < 4 * sd)
        }
    }

    @Test("Same seed, same mask; another seed, another mask")
    func seedDetermines() {
        let a = MCARMask.mask(rows: 30, cols: 7, rate: 0.4, seed: 2)
        #expect(a == MCARMask.mask(rows: 30, cols: 7, rate: 0.4, seed: 2))
        #expect(a != MCARMask.mask(rows: 30, cols: 7, rate: 0.4, seed: 3))
    }

    @Test("apply puts NaN where the mask is 0 and keeps every other value")
    func applyMasks() {
        let data = Matrix(rows: 3, cols: 4, storage: (0..<12).map { Float($0) + 0.5 })
        let (masked, observed) = MCARMask.apply(data, rate: 0.45, seed: 1)
        #expect(observed == MCARMask.mask(rows: 3, cols: 4, rate: 0.45, seed: 1))
        for k in 0..<12 {
            if observed.storage[k] == 0 {
                #expect(masked.storage[k].isNaN)
            } else {
                #expect(masked.storage[k] == data.storage[k])
            }
        }
        #expect(masked.storage.filter(\.isNaN).count == 4)
    }
}
