import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): the generator of the benchmark's
/// reproducible MCAR mask, and the seeder of `RandomSource`.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    package var state: UInt64
    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) from the top 53 bits, as the benchmark protocol defines it.
    package mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard-normal draw from the next two uniforms, nothing cached, as the benchmark's
    /// MAR/MNAR masks define it: z = √(−2·ln(1 − u₁))·cos(2π·u₂). Every draw consumes exactly
    /// two uniforms, so the stream's order is fixed and other languages reproduce it
    /// (`RandomSource.normal` caches its second value and is not this). 1 − u₁ lies in (0, 1],
    /// so the logarithm is finite.
    package mutating func nextNormal() -> Double {
        let u1 = nextUniform(), u2 = nextUniform()
        return (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// The package's seedable generator: xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
///
/// Every random choice of an imputation (noise fill, initial weights, shuffles,
/// times t) is drawn from one of these, so a seed fixes the result. The draws are
/// defined here, not by the standard library, so they stay the same across Swift versions.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?
    /// The seed this generator was made from (nil for one restored from a `State`). It stays as
    /// the stream advances, so it names the stream: a model of several members picks the member
    /// of a draw by it, the same for every row batch of that draw (`FittedMIRI`).
    public let seed: UInt64?

    /// A generator whose whole stream is fixed by `seed` (expanded by SplitMix64).
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s = (seeder.next(), seeder.next(), seeder.next(), seeder.next())
        spareNormal = nil
        self.seed = seed
    }

    /// Everything that determines the rest of the stream, for checkpoints.
    package struct State: Sendable, Equatable, Codable {
        package var words: [UInt64]          // the four xoshiro words
        package var spareNormal: Double?     // the cached second Box–Muller value
        package init(words: [UInt64], spareNormal: Double?) {
            precondition(words.count == 4, "a RandomSource state has four words")
            self.words = words
            self.spareNormal = spareNormal
        }
    }

    package var state: State { State(words: [s.0, s.1, s.2, s.3], spareNormal: spareNormal) }

    /// A generator that continues exactly where the one that produced `state` was.
    package init(state: State) {
        s = (state.words[0], state.words[1], state.words[2], state.words[3])
        spareNormal = state.spareNormal
        seed = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform Float in [0, 1) with 24 random bits.
    public mutating func uniformFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform Float in [low, high).
    public mutating func uniformFloat(in low: Float, _ high: Float) -> Float {
        low + (high - low) * uniformFloat()
    }

    /// A standard-normal draw (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        var u1 = uniform()
        while u1 == 0 { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = r * sin(angle)
        return r * cos(angle)
    }

    /// Moves the stream past `count` calls of `normal()` (as if they were made and their values
    /// dropped) at the cost of the uniforms alone, except a last unpaired value, computed since
    /// the next call returns its cached partner.
    package mutating func skipNormals(_ count: Int) {
        var left = count
        if left > 0, spareNormal != nil { spareNormal = nil; left -= 1 }
        while left >= 2 {
            while uniform() == 0 {}      // u1, redrawn while 0 as `normal()` does
            _ = next()                   // u2
            left -= 2
        }
        if left == 1 { _ = normal() }
    }

    /// A uniform integer in [0, bound), without modulo bias (Lemire's method).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Shuffles `array` in place (Fisher–Yates).
    public mutating func shuffle<T>(_ array: inout [T]) {
        if array.count < 2 { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, index(below: i + 1))
        }
    }

    /// A uniformly random permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}
