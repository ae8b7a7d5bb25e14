import Foundation
import Imputation
import Linalg

/// libFuzzer target: MICE's proper draws on wide tables (more than 100 columns, so each
/// regression reads its 32 nearest features; scripts/fuzz.sh builds and runs it). The first
/// byte picks the shape (1 to 8 rows, 101 to 132 columns); each further byte is a cell: 0 to 31
/// missing, else a value from the byte; the bytes repeat to fill the table.
///
/// Checks: only `InputError` and `MICEError` come out; otherwise two draws and a point
/// imputation complete the table: every observed cell as given, every imputed one finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func miceWideFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let rows = Int(bytes[0] & 7) + 1, cols = 101 + Int(bytes[0] >> 3)
    let cells = bytes.dropFirst()
    var table = Matrix(rows: rows, cols: cols)
    for k in 0..<(rows * cols) {
        let b = cells[cells.startIndex + k % cells.count] &+ UInt8(truncatingIfNeeded: k / cells.count)
        table.storage[k] = b < 32 ? .nan : Float(Int(b) - 144) * 0.37
    }
    MICEWideFuzz.check(table)
    return 0
}

enum MICEWideFuzz {
    static func check(_ table: Matrix) {
        do {
            // Two rounds: the draws' paths are the same as with ten, and each input runs five times faster.
            let model = try MICEImputer(configuration: MICEConfiguration(rounds: 2)).fit(table)
            var randoms = [RandomSource(seed: 1), RandomSource(seed: 2)]
            let completed = try model.draws(table, randoms: &randoms) + [try model.transform(table).imputed]
            for result in completed {
                for k in table.storage.indices {
                    if table.storage[k].isNaN {
                        precondition(result.storage[k].isFinite, "imputed cell \(k) is \(result.storage[k])")
                    } else {
                        precondition(result.storage[k].bitPattern == table.storage[k].bitPattern, "observed cell \(k) changed")
                    }
                }
            }
        } catch let error as InputError {
            _ = error.description
        } catch let error as MICEError {
            _ = error.description
        } catch {
            fatalError("MICE threw \(error)")
        }
    }
}
