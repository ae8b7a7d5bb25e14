import Foundation
import TestSupport
import Testing

/// `miri ampute`'s arguments, fuzzed (issue 24: the fuzz inputs cover ampute's arguments): 48
/// combinations, drawn with a fixed generator, of mechanisms, rates and seeds well formed and
/// not (NaN, infinities, hexadecimal, 0 and 1, seeds past 2⁶⁴). Each run ends with the status
/// its arguments call for, 0 or 64 (never a trap), and a successful one blanks cells only:
/// every other cell keeps its text, and the count it reports is the count of blanks.
@Suite struct AmputeArgumentsTests {
    static let table = "a,b,c\n1.5,2,-3\n4,5.25,6\n7,8,9e3\n0.1,0.2,0.3\n10,11,12\n"
    static let mechanisms = ["mcar", "mar", "mnar", "mnar-self", "MCAR", "bogus"]
    static let rates = ["0.5", "1e-300", "0.9999999", "nan", "-0", "1", "0", "inf", "1e400", "0x1p-2", "abc", "0.25"]
    static let seeds = ["0", "18446744073709551615", "18446744073709551616", "-1", "7"]

    /// SplitMix64, so the combinations are the same on every run.
    struct Picks {
        var state: UInt64 = 24
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    static func valid(mechanism: String, rate: String, seed: String) -> Bool {
        guard ["mcar", "mar", "mnar", "mnar-self"].contains(mechanism), UInt64(seed) != nil, let p = Double(rate) else { return false }
        return p > 0 && p < 1
    }

    @Test("48 fuzzed argument sets: status 0 or 64 as the arguments call for; only blanks added")
    func fuzzedArguments() throws {
        let scratch = try Scratch()
        let input = try scratch.write("t.csv", Self.table)
        let given = csvRows(Self.table)
        var picks = Picks()
        for _ in 0..<48 {
            let m = Self.mechanisms[picks.next(Self.mechanisms.count)]
            let r = Self.rates[picks.next(Self.rates.count)]
            let s = Self.seeds[picks.next(Self.seeds.count)]
            let out = scratch.file("o.csv").path
            try? FileManager.default.removeItem(atPath: out)
            let run = try Tool.run(["ampute", input, "--mechanism", m, "--rate", r, "--seed", s, "-o", out])
            let label = "\(m) \(r) \(s): \(run.stderr)"
            guard Self.valid(mechanism: m, rate: r, seed: s) else {
                #expect(run.status == 64, "\(label)")
                #expect(!FileManager.default.fileExists(atPath: out))
                continue
            }
            #expect(run.status == 0, "\(label)")
            let rows = csvRows(try scratch.read("o.csv"))
            #expect(rows.count == given.count && rows.first == given.first, "\(label)")
            var blanks = 0
            for (row, original) in zip(rows.dropFirst(), given.dropFirst()) {
                for (cell, text) in zip(row, original) {
                    if cell.isEmpty { blanks += 1 } else { #expect(cell == text, "\(label)") }
                }
            }
            #expect(run.stderr.hasPrefix("miri: ampute \(m): \(blanks) of 15 entries missing"), "\(label)")
        }
    }
}
