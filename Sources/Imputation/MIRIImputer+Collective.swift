import Flow
import Foundation
import Linalg

/// MIRI fitted by P processes at once, each holding a share of the rows (data parallelism).
///
/// What stays one computation: the scaling, bounds and noise fill are those of the whole
/// table (each rank holds it and draws the fill of every row from `RandomSource(seed)` in row
/// order, keeping its own rows: the fill of a row depends on its global index, never on P);
/// every optimizer step all-reduces the gradients, so the ranks hold one network. What each rank
/// does alone: its minibatch share, its partners (among its own rows), and re-imputing its rows.
extension MIRIImputer {
    /// The table rows rank `rank` of `size` holds: dealt round-robin (rows r, r+P, r+2P, …),
    /// so that each rank's rows are a sample of the whole table even when the file is sorted by
    /// some column, and its own rows give partners from the table's marginal.
    package static func rows(ofRank rank: Int, size: Int, tableRows n: Int) -> [Int] {
        Array(stride(from: rank, to: n, by: size))
    }

    /// The stream of rank `rank`: rank 0 continues `shared` (the single-process stream); the
    /// others get streams of their own from the seed, so their minibatches and partners differ.
    static func stream(rank: Int, shared: RandomSource.State, seed: UInt64) -> RandomSource {
        rank == 0 ? RandomSource(state: shared) : RandomSource(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(rank)))
    }

    /// Fits on `data` (the whole table, on every rank) with the rows split over `communicator`'s
    /// ranks, and imputes it. Returns the model (the same on every rank) and, on rank 0, the
    /// completed table (nil on the others). With one rank: `fitAndImpute(data)`, bit for bit.
    ///
    /// Hooks at P > 1: `epochFinished` runs on every rank; `roundFinished` gets the table as
    /// given (the imputation is spread over the ranks until the end); `noiseFilled` is not
    /// called, and `shouldStop` is not polled, since a rank that stopped alone would leave the
    /// others waiting in a collective (mpirun's own signal handling stops them all).
    package func fitAndImpute(_ data: Matrix, communicator comm: Communicator) throws -> (model: FittedMIRI, imputed: Matrix?) {
        if comm.size == 1 {
            let (model, imputed) = try fitAndImpute(data)
            return (model, imputed)
        }
        let pattern = try MissingPattern(validating: data)
        if data.rows < max(2, comm.size) { throw InputError.tooFewRows(needed: max(2, comm.size), got: data.rows) }
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }
        return try compute.run {
            let whole = start(data, pattern: pattern)
            let n = data.rows, d = data.cols
            let chains = whole.x.rows / n
            let mine = Self.rows(ofRank: comm.rank, size: comm.size, tableRows: n)
            var x = Matrix(rows: mine.count * chains, cols: d)
            for chain in 0..<chains {
                for (i, row) in mine.enumerated() {
                    let from = (chain * n + row) * d, to = (chain * mine.count + i) * d
                    x.storage.replaceSubrange(to..<(to + d), with: whole.x.storage[from..<(from + d)])
                }
            }
            let observed = Matrix(rows: mine.count, cols: d, storage: mine.flatMap { pattern.observed.storage[($0 * d)..<($0 * d + d)] })
            var random = Self.stream(rank: comm.rank, shared: whole.random, seed: configuration.seed)
            let rounds = MIRIRounds(configuration: configuration, hooks: hooks, bounds: whole.bounds)
            var networks: [MLP] = [], diagnostics: [RoundDiagnostics] = []
            for k in 1...configuration.rounds {
                let (network, diag) = try rounds.runRound(k, x: &x, observed: observed, tableRows: n, random: &random,
                                                          previous: networks.last, communicator: comm)
                networks.append(network)
                diagnostics.append(diag)
                hooks.roundFinished?(diag, data)
            }
            let model = FittedMIRI(configuration: configuration, scaling: whole.scaling, bounds: whole.bounds,
                                   networks: networks, rounds: diagnostics, compute: compute)
            // Rank 0 puts the ranks' rows (the first imputation's) back in table order.
            let own = x.storage[0..<(mine.count * d)].withUnsafeBytes { Array($0) }
            let parts = comm.gather(own, root: 0)
            guard comm.rank == 0 else { return (model, nil) }
            var standardized = Matrix(rows: n, cols: d)
            for (r, bytes) in parts.enumerated() {
                let floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                for (i, row) in Self.rows(ofRank: r, size: comm.size, tableRows: n).enumerated() {
                    standardized.storage.replaceSubrange((row * d)..<(row * d + d), with: floats[(i * d)..<(i * d + d)])
                }
            }
            return (model, try data.merging(imputed: whole.scaling.invert(standardized)))
        }
    }
}
