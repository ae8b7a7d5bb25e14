import Flow
import Foundation
import TestSupport
import Imputation
import Linalg
import ModelStore

/// Small tables and models for the file-format tests.
enum Fixture {
    /// `rows` rows of 3 correlated columns, 30% of cells blanked (never a whole column).
    static func table(rows: Int = 60, seed: UInt64 = 7) -> Matrix {
        var random = RandomSource(seed: seed)
        var m = Matrix(rows: rows, cols: 3)
        for i in 0..<rows {
            let z = random.normal()
            for j in 0..<3 { m[i, j] = Float(0.8 * z + 0.6 * random.normal()) * Float(j + 1) + Float(10 * j) }
        }
        for k in 3..<m.count where random.uniform() < 0.3 { m.storage[k] = .nan }
        return m
    }

    /// A configuration that fits in milliseconds.
    static var configuration: MIRIConfiguration {
        var c = MIRIConfiguration.fast
        c.rounds = 2; c.epochs = 2; c.stepsPerRound = nil; c.batchSize = 16; c.odeSteps = 3
        c.hiddenWidths = [8]; c.seed = 5; c.odeBlockRows = 16
        return c
    }

    static func model(names: [String]? = ["alpha", "beta, quoted", "γ"]) throws -> FittedMIRI {
        var model = try MIRIImputer(configuration: configuration).fit(table())
        model.columnNames = names
        return model
    }

    /// Recomputes the CRC-32 trailer, so a test can plant a bad value that only field checks catch.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let crc = CRC32.checksum(out[0..<(out.count - 4)])
        for i in 0..<4 { out[out.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return out
    }

    static func put(u32 value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    static func put(u64 value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    static func u32(at offset: Int, in bytes: [UInt8]) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    /// A fresh empty folder; removed by the caller.
    static func folder() throws -> String {
        try Scratch.makeFolder(prefix: "modelstore-tests").path
    }
}

/// Where the documented layout (docs/model-format.md) puts each body field of a model file.
struct ModelLayout {
    let bytes: [UInt8]
    var d: Int { Int(Fixture.u32(at: 12, in: bytes)) }
    var configurationLength: Int { Int(Fixture.u32(at: 20, in: bytes)) }
    var namesCount: Int { 32 + configurationLength }
    var scaling: Int {
        var offset = namesCount + 4
        for _ in 0..<Int(Fixture.u32(at: namesCount, in: bytes)) { offset += 4 + Int(Fixture.u32(at: offset, in: bytes)) }
        return offset
    }
    var stds: Int { scaling + 8 * d }
    var boundsFlag: Int { scaling + 16 * d }
    /// Round 1's width count (bounds present).
    var firstNetwork: Int { boundsFlag + 1 + 8 * d }
}
