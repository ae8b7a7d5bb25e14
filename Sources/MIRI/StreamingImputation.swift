import Dispatch
import Imputation
import Linalg
import TableIO

/// Completes a CSV stream through a fitted model in row batches: rows in, rows out, memory for
/// one batch (and its draws) whatever the stream's length. What `miri apply` runs.
///
/// Each batch is read (`CSVReader`), completed `draws` times and written (`CSVWriter`) before the
/// next is read. Draw k keeps one `RandomSource`, seeded `FittedMIRI.drawSeed(seed, draw: k)`,
/// across all batches; with batches a whole number of the model's `batchRowMultiple` (MIRI: its
/// ODE row blocks; `batchRows(for:requested:)` rounds to that) the output is bit for bit that of
/// completing the whole table at once, and, for a MIRI model applied to its training table with
/// the fit's seed, that of the fit. With one draw the table is the model's `transform`; with
/// several each is a draw (`FittedImputer.draws`), or their entrywise mean with `average`.
public struct StreamingImputation: Sendable {
    /// The fitted model every batch goes through.
    public let model: any FittedImputer
    /// Completed tables per batch (multiple imputation when more than 1).
    public let draws: Int
    /// Write the entrywise mean of the draws (one table) instead of each draw.
    public let average: Bool
    /// The seed of draw 1 (draw k: `FittedMIRI.drawSeed(seed, draw: k)`).
    public let seed: UInt64

    /// A stream through `model`, `draws` draws (at least 1), seeded `seed` (default: the fit's).
    public init(model: any FittedImputer, draws: Int = 1, average: Bool = false, seed: UInt64? = nil) {
        precondition(draws >= 1, "at least one draw")
        precondition(!average || draws >= 2, "an average needs two draws or more")
        self.model = model
        self.draws = draws
        self.average = average
        self.seed = seed ?? model.defaultSeed
    }

    /// How many tables `run` writes per batch: 1 with `average`, else `draws`.
    public var outputs: Int { average ? 1 : draws }

    /// Rows per batch: `requested` rounded down to a whole number of the model's
    /// `batchRowMultiple` (at least one multiple), so batching never changes the result.
    public static func batchRows(for model: any FittedImputer, requested: Int = 65_536) -> Int {
        let block = model.batchRowMultiple
        return max(1, requested / block) * block
    }

    /// The first way a table with columns `header` differs from the model's: another count of
    /// columns, or (when the model stores names) another name at some position; nil when it fits.
    public func mismatch(header: [String]) -> ModelMismatch? {
        if header.count != model.columns { return .columns(expected: model.columns, got: header.count) }
        if let names = model.columnNames, let j = header.indices.first(where: { header[$0] != names[$0] }) {
            return .columnName(column: j, expected: names[j], got: header[j])
        }
        return nil
    }

    /// What a run did.
    public struct Totals: Sendable {
        /// Rows, cells and missing cells read; batches completed.
        public var rows = 0, cells = 0, missing = 0, batches = 0
        /// Seconds spent completing batches (reading and writing left out).
        public var imputeSeconds = 0.0

        /// Nothing done yet.
        public init() {}
    }

    /// Reads every batch of `reader`, writes the completed rows to `writers` (`outputs` of them)
    /// and calls `afterBatch` with the totals so far after each (an error it throws stops the run).
    /// Throws `ModelMismatch` before reading any row if the header does not fit the model.
    ///
    /// `current` is the batch being completed (for error messages that name a line). `shouldStop`
    /// is polled as the model's `transform` polls it; returning true stops the run with
    /// `MIRIError.cancelled`.
    public func run(_ reader: CSVReader, writers: [CSVWriter], current: inout CSVTable?,
                    shouldStop: (() -> Bool)? = nil, afterBatch: (Totals) throws -> Void = { _ in }) throws -> Totals {
        precondition(writers.count == outputs, "\(outputs) writer(s) needed, got \(writers.count)")
        if let mismatch = mismatch(header: reader.header) { throw mismatch }
        var randoms = (1...draws).map { RandomSource(seed: FittedMIRI.drawSeed(seed, draw: $0)) }
        var totals = Totals()
        while let batch = try reader.nextBatch() {
            current = batch
            let start = DispatchTime.now()
            let completed = draws == 1
                ? [try model.transform(batch.values, random: &randoms[0], shouldStop: shouldStop).imputed]
                : try model.draws(batch.values, randoms: &randoms, shouldStop: shouldStop)
            let tables = average ? [FittedMIRI.mean(of: completed, over: batch.values)] : completed
            totals.imputeSeconds += Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            for (writer, table) in zip(writers, tables) { try writer.write(batch, imputed: table) }
            totals.rows += batch.values.rows
            totals.cells += batch.values.count
            totals.missing += batch.missingCount
            totals.batches += 1
            try afterBatch(totals)
        }
        return totals
    }
}
