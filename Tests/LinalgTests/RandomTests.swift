import Testing
import Linalg

@Suite("Seedable random source")
struct RandomTests {
    @Test("same seed, same stream; different seed, different stream")
    func seeding() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let xa = (0..<16).map { _ in a.next() }, xb = (0..<16).map { _ in b.next() }, xc = (0..<16).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
    }

    @Test("a saved state continues the stream exactly, including a cached normal")
    func stateRoundTrip() {
        var a = RandomSource(seed: 5)
        _ = a.normal()                       // leaves the pair's second value cached
        var b = RandomSource(state: a.state)
        #expect((0..<5).map { _ in a.normal() } == (0..<5).map { _ in b.normal() })
        #expect(a.next() == b.next())
    }

    @Test("uniform and normal draws have the right moments (5-sigma bounds)")
    func moments() {
        var random = RandomSource(seed: 1)
        let n = 200_000
        var su = 0.0, sn = 0.0, sn2 = 0.0
        for _ in 0..<n {
            let u = Double(random.uniformFloat())
            #expect(u >= 0 && u < 1)
            su += u
            let z = random.normal()
            sn += z; sn2 += z * z
        }
        // mean of U(0,1): 1/2, sd of the mean sqrt(1/12/n) ≈ 6.5e-4.
        #expect(abs(su / Double(n) - 0.5) < 5 * 6.5e-4)
        // N(0,1): mean sd 1/sqrt(n) ≈ 2.2e-3; variance sd sqrt(2/n) ≈ 3.2e-3.
        #expect(abs(sn / Double(n)) < 5 * 2.3e-3)
        #expect(abs(sn2 / Double(n) - 1) < 5 * 3.2e-3)
    }

    @Test("permutation is a permutation and every position is uniform")
    func permutation() {
        var random = RandomSource(seed: 9)
        #expect(random.permutation(100).sorted() == Array(0..<100))
        // Where element 0 lands over 40,000 shuffles of 4: each position has p = 1/4,
        // count sd sqrt(40000·0.25·0.75) ≈ 87; allow 5 sd.
        var landed = [Int](repeating: 0, count: 4)
        for _ in 0..<40_000 { landed[random.permutation(4).firstIndex(of: 0)!] += 1 }
        for count in landed { #expect(abs(count - 10_000) < 435) }
    }
}

@Suite("Skipping normals")
struct SkipNormalsTests {
    @Test("skipNormals(k) leaves the stream where k calls of normal() leave it", arguments: 0...9)
    func skip(k: Int) {
        for warm in 0...1 {   // start with and without a cached second value
            var drawn = RandomSource(seed: 77), skipped = RandomSource(seed: 77)
            for _ in 0..<warm { _ = drawn.normal(); _ = skipped.normal() }
            for _ in 0..<k { _ = drawn.normal() }
            skipped.skipNormals(k)
            #expect((0..<5).map { _ in drawn.normal() } == (0..<5).map { _ in skipped.normal() })
            #expect(drawn.next() == skipped.next())
        }
    }
}
