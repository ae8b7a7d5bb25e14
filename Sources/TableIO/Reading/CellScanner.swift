/// What the text of one data cell holds.
enum Cell: Equatable {
    /// A finite number, correctly rounded to the nearest `Float`.
    case number(Float)
    /// A missing-value marker: empty, `NA`, `NaN`, `nan` or `?` (surrounding blanks allowed).
    case missing
    /// `inf`, `-Infinity` and the like: refused, since imputation needs finite values.
    case infinite
    /// A well-formed decimal number beyond `Float`'s range, such as `1e39`.
    case overflow
    /// Anything else.
    case invalid
}

/// Classifies the bytes of one CSV cell and converts numbers to `Float`.
///
/// Why not `Float(String)` per cell: building a `String` for each of millions of cells costs
/// more than the whole parse should. This scanner reads the bytes in place, checks them
/// against a strict decimal grammar (`[+-]? digits [. digits] [(e|E) [+-] digits]`, no hex,
/// no `inf`/`nan` spellings, no thousands separators) and computes the value exactly:
///
/// - fast path (almost every real cell): at most 19 significant digits with a value below
///   2^53 and a decimal exponent within ±22. The mantissa and the power of ten are then exact
///   `Double`s, so one multiply or divide gives the correctly rounded `Double` (Clinger's fast
///   path); rounding that to `Float` is exact as well unless the `Double` lands exactly halfway
///   between two `Float`s (every `Float` midpoint is a `Double`, so rounding to `Double` cannot
///   carry a value across one). That rare halfway case goes to the slow path.
/// - slow path: `Float(String)`, which the standard library implements with a correctly
///   rounded, locale-independent `strtof`. Only long or extreme numbers get here.
///
/// Values too small for `Float` round to a subnormal or to zero, as `strtof` does.
enum CellScanner {
    /// Classifies `bytes[range]`: the raw cell text, possibly with blanks around it.
    static func scan(_ bytes: [UInt8], _ range: Range<Int>) -> Cell {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, isBlank(bytes[hi - 1]) { hi -= 1 }
        if lo == hi { return .missing }

        var i = lo
        var negative = false
        if bytes[i] == ASCII.minus || bytes[i] == ASCII.plus {
            negative = bytes[i] == ASCII.minus
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var truncated = false      // a nonzero digit beyond the 19 kept
        var exponent = 0           // power of ten applied to `mantissa`
        var sawDigit = false

        while i < hi, let d = digit(bytes[i]) {
            sawDigit = true
            if significantDigits < 19 {
                if mantissa != 0 || d != 0 { mantissa = mantissa &* 10 &+ UInt64(d); significantDigits += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i < hi, bytes[i] == ASCII.dot {
            i += 1
            while i < hi, let d = digit(bytes[i]) {
                sawDigit = true
                if significantDigits < 19 {
                    if mantissa != 0 || d != 0 { mantissa = mantissa &* 10 &+ UInt64(d); significantDigits += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
        }
        if !sawDigit { return classifyWord(bytes, lo..<hi) }
        if i < hi, bytes[i] | 0x20 == ASCII.lowerE {
            i += 1
            var exponentNegative = false
            if i < hi, bytes[i] == ASCII.minus || bytes[i] == ASCII.plus {
                exponentNegative = bytes[i] == ASCII.minus
                i += 1
            }
            var written = 0
            var sawExponentDigit = false
            while i < hi, let d = digit(bytes[i]) {
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + d }   // clamp: far beyond any Float
                i += 1
            }
            if !sawExponentDigit { return .invalid }
            exponent += exponentNegative ? -written : written
        }
        if i != hi { return .invalid }

        if mantissa == 0 && !truncated { return .number(negative ? -0.0 : 0.0) }
        if !truncated, mantissa < 1 << 53, exponent >= -22, exponent <= 22,
           let value = fastFloat(mantissa: mantissa, exponent: exponent) {
            return .number(negative ? -value : value)
        }
        return slowPath(bytes, lo..<hi)
    }

    /// Clinger's fast path through `Double`, or nil in the one case it cannot decide
    /// (the `Double` is a `Float` midpoint, or the result overflows).
    @inline(__always)
    private static func fastFloat(mantissa: UInt64, exponent: Int) -> Float? {
        let m = Double(mantissa)
        let d = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
        let f = Float(d)
        if f.isInfinite { return nil }
        if d.magnitude >= Double(Float.leastNormalMagnitude) {
            // A normal Float keeps 24 of the Double's 53 significand bits; the Double is a
            // midpoint exactly when the 29 dropped bits are 1 followed by zeros.
            return d.bitPattern & 0x1FFF_FFFF == 0x1000_0000 ? nil : f
        }
        if Double(f) == d { return f }
        let neighbour = Double(f) < d ? f.nextUp : f.nextDown
        if Double(f) + Double(neighbour) == 2 * d { return nil }   // exact: both sums fit a Double
        return f
    }

    /// Correctly rounded conversion of a cell already known to match the decimal grammar.
    private static func slowPath(_ bytes: [UInt8], _ range: Range<Int>) -> Cell {
        guard let value = Float(String(decoding: bytes[range], as: UTF8.self)) else { return .invalid }
        return value.isFinite ? .number(value) : .overflow
    }

    /// A cell without digits: a missing marker, an infinity, or junk.
    private static func classifyWord(_ bytes: [UInt8], _ range: Range<Int>) -> Cell {
        let word = bytes[range]
        for marker in missingMarkers where word.elementsEqual(marker) { return .missing }
        var body = word[...]
        if let first = body.first, first == ASCII.minus || first == ASCII.plus { body = body.dropFirst() }
        let lower = body.map { $0 | 0x20 }   // ASCII letters to lower case; others fail anyway
        if lower.elementsEqual("inf".utf8) || lower.elementsEqual("infinity".utf8) { return .infinite }
        return .invalid
    }

    /// The spellings of a missing cell besides the empty cell, byte for byte.
    static let missingMarkers: [[UInt8]] = ["NA", "NaN", "nan", "?"].map { Array($0.utf8) }

    /// 10^0 … 10^22: every one is exact in a `Double`. (A literal, so it needs no lazy setup.)
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte &- ASCII.zero < 10 ? Int(byte &- ASCII.zero) : nil
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.tab }
}

/// The bytes the CSV grammar cares about.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let lowerE: UInt8 = 0x65
}
