import Foundation

/// Student's t distribution with ν degrees of freedom (ν = ∞: the standard normal): the
/// distribution function and its inverse, for pooled intervals and p-values (`RubinPooling`).
///
/// F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, with the regularized incomplete beta function
/// I from its continued fraction (modified Lentz; Numerical Recipes §6.4); the normal from
/// `erfc`. The quantile inverts F by bisection to the last bit of a Double.
package enum StudentT {
    /// P(T ≤ t).
    package static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "a t distribution needs ν > 0")
        if t.isNaN { return .nan }
        if nu.isInfinite { return 0.5 * erfc(-t / 2.0.squareRoot()) }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * incompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// P(|T| ≥ |t|): the two-sided p-value of t.
    package static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "a t distribution needs ν > 0")
        let a = abs(t)
        if nu.isInfinite { return erfc(a / 2.0.squareRoot()) }
        if a.isInfinite { return 0 }
        return incompleteBeta(x: nu / (nu + a * a), a: nu / 2, b: 0.5)
    }

    /// The t with P(T ≤ t) = p, 0 < p < 1.
    package static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1 && nu > 0, "a quantile needs 0 < p < 1 and ν > 0")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        var low = 0.0, high = 1.0
        while cdf(high, degreesOfFreedom: nu) < p {
            low = high
            high *= 2
            if !high.isFinite { return .greatestFiniteMagnitude }
        }
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if mid <= low || mid >= high { break }
            if cdf(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    /// The regularized incomplete beta function I_x(a, b), 0 ≤ x ≤ 1.
    package static func incompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x: x, a: a, b: b) / a }
        return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of I_x(a, b) (modified Lentz), converged to a relative 1e-16.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
