import Testing
import Linalg

/// kNN's skip scan on every vector path of this machine against the test written out in Double.
@Suite("kNN skip scan on every path of this machine")
struct KNNScanTests {
    /// The first full group of eight from `start` with a lane whose bound is below `threshold`
    /// (or not a number), in Double; the tail's start when there is none.
    static func reference(p: [Float], q: [Float], from start: Int, slack eps: Float, scale: Float, threshold: Float) -> Int {
        var r = start
        while r + 8 <= p.count {
            for l in r..<(r + 8) {
                let s = max(Double(p[l]) - 2 * Double(q[l]), 0)
                let bound = (s - Double(eps) * Double(p[l]) - Double(Float.leastNormalMagnitude)) * Double(scale)
                if !(bound >= Double(threshold)) || p[l].isNaN || q[l].isNaN || !p[l].isFinite { return r }
            }
            r += 8
        }
        return r
    }

    @Test("returns the reference's group for thresholds away from every bound, NaN and overflow included",
          arguments: machinePaths)
    func scan(path: SIMDPath) {
        var random = RandomSource(seed: 5)
        let eps = Float(4 * 9 + 32) * 0x1p-24, scale: Float = 9 / 7
        for trial in 0..<300 {
            let n = 1 + Int(random.next() % 300)
            // P ≥ 0 and |2Q| ≤ P as the GEMM's parts are; the bounds land on a grid of spacing 1, the
            // threshold halfway between two grid points, so one Float rounding cannot flip a lane.
            var p = [Float](repeating: 0, count: n), q = [Float](repeating: 0, count: n)
            for i in 0..<n {
                p[i] = Float(40 + Int(random.next() % 60))
                let s = Float(Int(random.next() % 80))           // the unscaled sum P − 2Q, 0 ... 79
                q[i] = (p[i] - s) / 2
            }
            if trial % 7 == 0 { p[Int(random.next() % UInt64(n))] = .infinity }
            if trial % 11 == 0 { q[Int(random.next() % UInt64(n))] = .nan }
            let threshold = (Float(Int(random.next() % 100)) + 0.5) * scale
            let start = Int(random.next() % UInt64(n))
            let got = p.withUnsafeBufferPointer { pp in q.withUnsafeBufferPointer { qp in
                Kernels.firstKNNCandidate(p: pp.baseAddress!, q: qp.baseAddress!, from: start, count: n,
                                          slack: eps, scale: scale, threshold: threshold, path: path)
            } }
            let want = Self.reference(p: p, q: q, from: start, slack: eps, scale: scale, threshold: threshold)
            #expect(got == want, "trial \(trial): n \(n), start \(start), threshold \(threshold)")
        }
    }

    @Test("skips every full group when every bound clears the threshold, none when it is above them",
          arguments: machinePaths)
    func extremes(path: SIMDPath) {
        let n = 8 * 37 + 5
        let p = [Float](repeating: 100, count: n), q = [Float](repeating: -100, count: n)   // bound ≈ 300
        func scan(_ threshold: Float, from start: Int) -> Int {
            p.withUnsafeBufferPointer { pp in q.withUnsafeBufferPointer { qp in
                Kernels.firstKNNCandidate(p: pp.baseAddress!, q: qp.baseAddress!, from: start, count: n,
                                          slack: 1e-5, scale: 1, threshold: threshold, path: path)
            } }
        }
        #expect(scan(250, from: 0) == n - 5)
        #expect(scan(250, from: 3) == n - (n - 3) % 8)
        #expect(scan(0, from: 16) == n - (n - 16) % 8)
        #expect(scan(301, from: 16) == 16)
    }
}
