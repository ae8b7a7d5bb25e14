import Flow
import Foundation
import Imputation
import Linalg
import ModelStore
import TableIO

/// libFuzzer target: the model and checkpoint readers (scripts/fuzz.sh builds and runs it).
///
/// Each input is decoded as a MIRI model, a MICE model (versions 1 and 2: with and without
/// column kinds) and a checkpoint, twice: as given (which exercises the
/// magic, version, length and checksum gates), and with its length field and CRC-32 trailer
/// made right, so that mutations reach the body's field checks instead of dying at the
/// checksum. Only `ModelFileError` may come out. A file that decodes must encode to a file
/// that decodes to the same bytes again, and a model cheap enough to run imputes a small table:
/// the result is finite and writable, or an error (divergence, out of range), never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func modelReaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    ModelFuzz.check(bytes)
    if bytes.count >= 36 { ModelFuzz.check(ModelFuzz.sealed(bytes)) }
    return 0
}

enum ModelFuzz {
    /// `bytes` with the header's file length and the CRC-32 trailer recomputed.
    static func sealed(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        withUnsafeBytes(of: UInt64(b.count).littleEndian) { b.replaceSubrange(24..<32, with: $0) }
        let crc = CRC32.checksum(b[0..<(b.count - 4)])
        withUnsafeBytes(of: crc.littleEndian) { b.replaceSubrange((b.count - 4)..<b.count, with: $0) }
        return b
    }

    static func check(_ bytes: [UInt8]) {
        if let model = decode({ try ModelFile.decode(bytes, source: "f.miri") }) {
            let again = ModelFile.encode(model)
            guard let reread = decode({ try ModelFile.decode(again, source: "again.miri") }) else {
                fatalError("a decoded model re-encodes to a file that does not decode")
            }
            precondition(ModelFile.encode(reread) == again, "model encoding is not stable")
            impute(with: model)
        }
        if let model = decode({ try MICEModelFile.decode(bytes, source: "f.mice") }) {
            let again = MICEModelFile.encode(model)
            guard let reread = decode({ try MICEModelFile.decode(again, source: "again.mice") }) else {
                fatalError("a decoded MICE model re-encodes to a file that does not decode")
            }
            precondition(MICEModelFile.encode(reread) == again, "MICE model encoding is not stable")
            impute(with: model)
        }
        if let checkpoint = decode({ try CheckpointFile.decode(bytes, source: "f.mirickpt") }) {
            let again = CheckpointFile.encode(checkpoint)
            guard let reread = decode({ try CheckpointFile.decode(again, source: "again.mirickpt") }) else {
                fatalError("a decoded checkpoint re-encodes to a file that does not decode")
            }
            precondition(CheckpointFile.encode(reread) == again, "checkpoint encoding is not stable")
        }
    }

    static func decode<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as ModelFileError {
            _ = error.description   // the message a user sees must format for any input
            return nil
        } catch {
            fatalError("a reader threw something other than ModelFileError: \(error)")
        }
    }

    /// Imputes a 4-row table whose every column misses a cell with a MICE model (small ones):
    /// its point imputation and two draws are finite and writable, or `MICEError.outOfRange`.
    static func impute(with model: FittedMICE) {
        let d = model.columns
        guard d <= 64, model.roundsRun * d * d <= 200_000 else { return }
        var data = Matrix(rows: 4, cols: d)
        for k in 0..<data.count { data.storage[k] = k % (d + 1) == 0 ? .nan : Float(k % 7) - 3 }
        do {
            let table = CSVTable(header: (0..<d).map { "c\($0)" }, values: data)
            _ = try table.csvBytes(imputed: try model.transform(data, seed: 1).imputed)
            var randoms = [RandomSource(seed: 1), RandomSource(seed: 2)]
            for draw in try model.draws(data, randoms: &randoms, shouldStop: nil) { _ = try table.csvBytes(imputed: draw) }
        } catch let error as MICEError {
            _ = error.description
        } catch let error as UnwritableValue {
            _ = error.description
        } catch {
            fatalError("imputing with a decoded MICE model threw \(error)")
        }
    }

    /// Imputes a 4-row table whose every column misses a cell, when the work is small
    /// (Euler steps × rounds × parameters), and writes the result as CSV.
    static func impute(with model: FittedMIRI) {
        let c = model.configuration
        let work = c.odeSteps.multipliedReportingOverflow(by: model.networks.count * (model.networks.first?.parameterCount ?? 0))
        guard !work.overflow, work.partialValue <= 2_000_000, model.columns <= 64 else { return }
        let d = model.columns
        var data = Matrix(rows: 4, cols: d)
        for k in 0..<data.count { data.storage[k] = k % (d + 1) == 0 ? .nan : Float(k % 7) - 3 }
        do {
            let imputed = try model.transform(data, seed: 1).imputed
            let table = CSVTable(header: (0..<d).map { "c\($0)" }, values: data)
            _ = try table.csvBytes(imputed: imputed)
        } catch let error as MIRIError {
            _ = error.description
        } catch let error as OutOfRangeImputation {
            _ = error.description
        } catch {
            fatalError("imputing with a decoded model threw \(error)")
        }
    }
}
