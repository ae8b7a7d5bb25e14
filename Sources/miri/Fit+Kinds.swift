import Foundation
import Imputation
import Linalg
import MIRI
import TableIO

extension Miri.Fit {
    /// The training table with its column kinds decided as `miri impute` decides them, and
    /// the encoded matrix the imputer trains on: so a fit's model and output match `impute`.
    struct Prepared {
        let table: CSVTable
        let schema: TableSchema
        let mixed: MixedTable
        let encoded: Matrix
    }

    /// Reads TRAIN (text cells allowed), prints the kinds line as `impute` does, and encodes it.
    func prepare(source: String, table: inout CSVTable?) throws -> Prepared {
        let (read, detected) = try kinds.readAndDetect(input: input, source: source, into: &table, note: note)
        return Prepared(table: read, schema: detected.schema, mixed: detected.table, encoded: detected.schema.encode(detected.table).matrix)
    }

    /// What the model keeps of the kinds: nil for a table of plain numbers (its file stays version 1).
    func fittedSchema(_ prepared: Prepared) -> FittedSchema? {
        FittedSchema.keeping(prepared.schema, roundIntegers: !kinds.noRoundIntegers)
    }

    /// The completed training table, written as `miri impute` writes it.
    func outputData(_ prepared: Prepared, imputed: Matrix) throws -> Data {
        let completion = prepared.schema.decode(imputed, for: prepared.mixed, roundIntegers: !kinds.noRoundIntegers)
        return Data(try prepared.table.csvBytes(completion: completion))
    }
}
