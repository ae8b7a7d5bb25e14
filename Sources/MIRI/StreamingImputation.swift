import Dispatch
import Imputation
import Linalg
import TableIO

/// Completes a CSV stream through a fitted model in row batches: rows in, rows out, memory for
/// one batch (and its draws) whatever the stream's length. What `miri apply` runs.
///
/// Each batch is read (`CSVReader`), completed `draws` times and written (`CSVWriter`) before the
/// next is read. Draw k keeps one `RandomSource`, seeded `MultipleDraws.drawSeed(seed, draw: k)`,
/// across all batches; with batches a whole number of the model's `batchRowMultiple` (MIRI: its
/// ODE row blocks; `batchRows(for:requested:)` rounds to that) the output is bit for bit that of
/// completing the whole table at once, and, for a MIRI model applied to its training table with
/// the fit's seed, that of the fit. With one draw the table is the model's `transform`; with
/// several each is a draw (`FittedImputer.draws`), or their entrywise mean with `average`.
public struct StreamingImputation: Sendable {
    /// The fitted model every batch goes through.
    public let model: any FittedImputer
    /// Completed tables per batch (multiple imputation when more than 1), at most `maxDraws`.
    public let draws: Int
    /// The most draws a stream takes: each keeps a generator (48 bytes) for the whole stream,
    /// and each is a full imputation of every batch, so more would be neither storable nor
    /// finishable. `miri apply` refuses more with status 64.
    public static let maxDraws = 100_000
    /// Write the entrywise mean of the draws (one table) instead of each draw.
    public let average: Bool
    /// The seed of draw 1 (draw k: `MultipleDraws.drawSeed(seed, draw: k)`).
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
    /// A model with a schema is matched on its source table's names (its own columns are the
    /// encoded ones); the kinds come from the model, not from the new table's cells.
    public func mismatch(header: [String]) -> ModelMismatch? {
        let expected = model.schema?.table.names.count ?? model.columns
        if header.count != expected { return .columns(expected: expected, got: header.count) }
        if let names = expectedNames, let j = header.indices.first(where: { header[$0] != names[$0] }) {
            return .columnName(column: j, expected: names[j], got: header[j])
        }
        return nil
    }

    /// The column names a table must have: the schema's source names, else the model's.
    public var expectedNames: [String]? { model.schema?.table.names ?? model.columnNames }

    /// Whether the input is read with text cells kept (`CSVReader(allowText:)`): for a model
    /// with a schema, whose categorical and pass-through columns hold text.
    public var readsText: Bool { model.schema != nil }

    /// What a run did.
    public struct Totals: Sendable {
        /// Rows, cells and missing cells read; batches completed.
        public var rows = 0, cells = 0, missing = 0, batches = 0
        /// Observed cells holding a category the model never saw (kept as written, and treated
        /// as missing in the imputation's inputs).
        public var unseenCategories = 0
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
    /// `ImputationError.cancelled`.
    public func run(_ reader: CSVReader, writers: [CSVWriter], current: inout CSVTable?,
                    shouldStop: (() -> Bool)? = nil, afterBatch: (Totals) throws -> Void = { _ in }) throws -> Totals {
        precondition(writers.count == outputs, "\(outputs) writer(s) needed, got \(writers.count)")
        if let mismatch = mismatch(header: reader.header) { throw mismatch }
        var randoms = MultipleDraws.generators(count: draws, seed: seed)
        var totals = Totals()
        while let batch = try reader.nextBatch() {
            current = batch
            let start = Stopwatch()
            if let schema = model.schema {
                let (rows, unseen) = try completeMixed(batch, schema: schema, source: reader.source, randoms: &randoms, shouldStop: shouldStop)
                totals.imputeSeconds += start.seconds
                for (writer, bytes) in zip(writers, rows) { try writer.write(batch, rows: bytes) }
                totals.unseenCategories += unseen
            } else {
                let tables = try complete(batch.values, randoms: &randoms, shouldStop: shouldStop)
                totals.imputeSeconds += start.seconds
                for (writer, table) in zip(writers, tables) { try writer.write(batch, imputed: table) }
            }
            totals.rows += batch.values.rows
            totals.cells += batch.values.count
            totals.missing += batch.missingCount
            totals.batches += 1
            try afterBatch(totals)
        }
        return totals
    }

    /// The `outputs` completed tables of `values` (the model's columns): one transform, the
    /// draws, or their mean. The mean is a running sum over the draws, one at a time, so its
    /// memory is one table and a sum whatever `draws` (the same arithmetic as
    /// `FittedMIRI.mean(of:over:)`: Double sums in draw order, one division at the end).
    func complete(_ values: Matrix, randoms: inout [RandomSource], shouldStop: (() -> Bool)?) throws -> [Matrix] {
        if draws == 1 { return [try model.transform(values, random: &randoms[0], shouldStop: shouldStop).imputed] }
        guard average else { return try model.draws(values, randoms: &randoms, shouldStop: shouldStop) }
        var sum = [Double](repeating: 0, count: values.count)
        for k in randoms.indices {
            var one = [randoms[k]]
            let draw = try model.draws(values, randoms: &one, shouldStop: shouldStop)[0]
            randoms[k] = one[0]
            for i in 0..<values.count where values.storage[i].isNaN { sum[i] += Double(draw.storage[i]) }
        }
        var out = values
        let m = Double(draws)
        for i in 0..<values.count where values.storage[i].isNaN { out.storage[i] = Float(sum[i] / m) }
        return [out]
    }
}
