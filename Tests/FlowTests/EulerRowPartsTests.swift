import Testing
@testable import Linalg
@testable import Flow

@Suite("Euler sampler row parts")
struct EulerRowPartsTests {
    @Test("a block's parts cover its rows once, in order, never below the minimum unless unsplit, and fit the buffers")
    func partsCoverRows() {
        for block in [1, 100, 511, 512, 1024, 4096] {
            let largest = FlowSampler.largestPart(upTo: block)
            for rows in 1...block {
                let parts = FlowSampler.rowParts(rows: rows)
                #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == rows)
                #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$0.isEmpty })
                #expect(parts.count == 1 || parts.allSatisfy { $0.count > FlowSampler.minimumPartRows - parts.count })   // ceil split: the last a little shorter
                // The buffers sized for a block hold every part of it and of any shorter (last) block.
                #expect(parts.allSatisfy { $0.count <= largest } && parts.count <= FlowSampler.rowParts(rows: block).count)
            }
        }
    }

    @Test("integrating in parts over several workers matches one worker, and repeats bit for bit")
    func partsMatchOneWorker() {
        var random = RandomSource(seed: 31)
        let d = 3
        let net = MLP(widths: [3 * d + 1, 24, d], random: &random)
        let n = 1_791                                        // a block of 1,024 in parts, then one of 767 (parts larger)
        let x0 = Matrix(rows: n, cols: d, storage: (0..<(n * d)).map { _ in Float(random.normal()) })
        let obs = Matrix(rows: n, cols: d, storage: (0..<(n * d)).map { _ in random.uniformFloat() < 0.5 ? 1 : 0 })
        func run(workers: Int) -> Matrix {
            var x = x0
            ComputeContext(threads: workers).run {
                FlowSampler(steps: 8, blockRows: 1024).integrate(network: net, x: &x, observed: obs)
            }
            return x
        }
        // Each part runs on one worker with its products unsplit, whatever the worker count: same bits.
        let one = run(workers: 1), three = run(workers: 3)
        #expect(one.storage.map(\.bitPattern) == three.storage.map(\.bitPattern))
        for k in 0..<one.count where obs.storage[k] != 0 { #expect(three.storage[k].bitPattern == x0.storage[k].bitPattern) }
        #expect(one.storage != x0.storage)                   // the flow did move the missing entries
        #expect(run(workers: 3).storage.map(\.bitPattern) == three.storage.map(\.bitPattern))
    }
}
