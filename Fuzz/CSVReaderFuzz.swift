import Foundation
import Linalg
import TableIO

/// libFuzzer target: the CSV reader and writer (scripts/fuzz.sh builds and runs it).
///
/// Beyond "never crash": every input is read whole and streamed twice (one byte per read and
/// one row per batch; 7-byte reads and 3-row batches), and the three must agree: the same
/// values bit for bit, or the same error (a column with no observed value is the one error only
/// the whole read gives). A table that reads is written with its missing cells filled and read
/// back: the same bits, and writing that again gives the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func csvReaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    CSVFuzz.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

enum CSVFuzz {
    enum Outcome: Equatable {
        case table(header: [String], bits: [UInt32])
        case failure(CSVError)
    }

    /// NaN as one pattern, so tables compare by bits.
    static func bits(_ values: [Float]) -> [UInt32] { values.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern } }

    static func check(_ bytes: [UInt8]) {
        let whole: Outcome
        var table: CSVTable?
        do {
            let read = try CSVTable.read(bytes: bytes, source: "f.csv")
            table = read
            whole = .table(header: read.header, bits: bits(read.values.storage))
        } catch let error as CSVError {
            _ = error.description   // the message a user sees must format for any input
            whole = .failure(error)
        } catch {
            fatalError("CSVTable.read threw a non-CSVError: \(error)")
        }
        // Pipes hold 64 KiB; libFuzzer's inputs here are far smaller (-max_len).
        if bytes.count <= 60_000 {
            for (block, batch) in [(1, 1), (7, 3)] {
                var streamed = stream(bytes, blockSize: block, batchRows: batch)
                if case let .failure(e) = whole, case .columnWithoutObservedValue = e.kind, case .table = streamed { streamed = whole }
                precondition(streamed == whole, "streaming (\(block)-byte reads, \(batch)-row batches) gives \(streamed), the whole read \(whole)")
            }
        }
        if let table { roundTrip(table) }
    }

    static func stream(_ bytes: [UInt8], blockSize: Int, batchRows: Int) -> Outcome {
        let pipe = Pipe()
        do {
            try pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
            try pipe.fileHandleForWriting.close()
        } catch {
            fatalError("cannot fill the pipe: \(error)")
        }
        do {
            let reader = try CSVReader(fileHandle: pipe.fileHandleForReading, source: "f.csv", batchRows: batchRows, blockSize: blockSize)
            var values: [Float] = []
            while let batch = try reader.nextBatch() { values += batch.values.storage }
            try? pipe.fileHandleForReading.close()
            return .table(header: reader.header, bits: bits(values))
        } catch let error as CSVError {
            try? pipe.fileHandleForReading.close()
            return .failure(error)
        } catch {
            fatalError("CSVReader threw a non-CSVError: \(error)")
        }
    }

    /// Fills the missing cells with values from the extremes to the ordinary, writes, reads back.
    static func roundTrip(_ table: CSVTable) {
        let fills: [Float] = [0, -0.0, 0.1, -.leastNonzeroMagnitude, .leastNormalMagnitude, 3.4028235e38, -3.4028235e38, 123456.79, 1e-7]
        var imputed = table.values
        for k in 0..<imputed.count where imputed.storage[k].isNaN { imputed.storage[k] = fills[k % fills.count] }
        do {
            let written = try table.csvBytes(imputed: imputed)
            let back = try CSVTable.read(bytes: written, source: "out.csv")
            precondition(back.header == table.header, "header \(table.header) reads back as \(back.header)")
            precondition(bits(back.values.storage) == bits(imputed.storage), "values change in the round trip")
            let rewritten = try back.csvBytes(imputed: back.values)
            precondition(rewritten == written, "writing the written table changes it")
        } catch {
            fatalError("a table that was read cannot be written and read back: \(error)")
        }
    }
}
