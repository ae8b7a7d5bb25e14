import Flow
import Foundation
import Linalg

/// MIRI fitted by P processes that each hold one contiguous block of the table's rows (as each
/// reads its own byte range of a file), none of them the whole table.
///
/// - The scaling comes from all-reduced column sums (count and sum, then the squared deviations
///   from the global mean: the two passes of `Standardization(fitting:)`), the bounds from an
///   all-reduced minimum; the same numbers as one process up to the order of the Double sums.
/// - The noise fill of a row depends on its global index only: each rank moves
///   `RandomSource(seed)` past the normals of the missing cells before its block (one exclusive
///   scan of the blocks' missing counts) and draws its block's, chain by chain, so every cell gets
///   the value it gets in one process, at any P.
/// - The rows are then dealt round-robin by global index (row g to rank g mod P, one
///   all-to-all) and fitted by the split round (`MIRIRounds.runRound(_:x:observed:tableRows:random:previous:communicator:)`:
///   every optimizer step all-reduces the gradients, so the ranks hold one network); at the end
///   the imputed rows go back to their blocks (another all-to-all).
extension MIRIImputer {
    /// The stream of rank `rank`: rank 0 continues `shared` (the single-process stream); the
    /// others get streams of their own from the seed, so their minibatches and partners differ.
    static func stream(rank: Int, shared: RandomSource.State, seed: UInt64) -> RandomSource {
        rank == 0 ? RandomSource(state: shared) : RandomSource(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(rank)))
    }

    /// Fits on the table whose rows are the ranks' blocks in rank order (`block` is this rank's;
    /// a block may be empty) and imputes it. Returns the model (the same on every rank) and this
    /// rank's block completed. Every rank throws the same `InputError` for a bad table. With one
    /// rank: `fitAndImpute(block)`, bit for bit.
    ///
    /// Hooks at P > 1: `epochFinished` runs on every rank; `roundFinished` gets the rank's block
    /// as given (the imputation is spread over the ranks until the end); `noiseFilled` is not
    /// called, and `shouldStop` is not polled, since a rank that stopped alone would leave the
    /// others waiting in a collective (mpirun's own signal handling stops them all).
    package func fitAndImpute(block: Matrix, communicator comm: Communicator) throws -> (model: FittedMIRI, imputed: Matrix) {
        if comm.size == 1 { return try fitAndImpute(block) }
        let layout = RowLayout(blocks: comm.allGather(block.rows), rank: comm.rank)
        let n = layout.tableRows, d = block.cols, first = layout.firsts[comm.rank]
        let pattern = try Self.checkedPattern(block, layout: layout, communicator: comm)
        if n < max(2, comm.size) { throw InputError.tooFewRows(needed: max(2, comm.size), got: n) }
        if let message = configuration.validationError() { throw MIRIError.invalidConfiguration(message) }

        return try compute.run {
            let scaling = Standardization(fittingBlocks: block, communicator: comm)
            let standardized = scaling.apply(block)
            let bounds = configuration.clampToObservedRange
                ? ColumnBounds(observedRangeOf: standardized, observed: pattern.observed, communicator: comm) : nil
            let chains = configuration.chains(forRows: n)
            var shared = RandomSource(seed: configuration.seed)
            let fills = Self.blockFills(standardized, chains: chains, random: &shared, communicator: comm)

            // Deal: per row, its mask then each chain's filled values.
            let width = d * (1 + chains), m = block.rows
            var payload = [Float](repeating: 0, count: m * width)
            for i in 0..<m {
                for j in 0..<d { payload[i * width + j] = pattern.observed.storage[i * d + j] }
                for c in 0..<chains {
                    payload.replaceSubrange((i * width + d * (1 + c))..<(i * width + d * (2 + c)),
                                            with: fills[((c * m + i) * d)..<((c * m + i) * d + d)])
                }
            }
            let dealt = layout.deal(payload, width: width, communicator: comm)
            let mine = dealt.count / width
            var x = Matrix(rows: mine * chains, cols: d), observed = Matrix(rows: mine, cols: d)
            for i in 0..<mine {
                observed.storage.replaceSubrange((i * d)..<(i * d + d), with: dealt[(i * width)..<(i * width + d)])
                for c in 0..<chains {
                    x.storage.replaceSubrange(((c * mine + i) * d)..<((c * mine + i) * d + d),
                                              with: dealt[(i * width + d * (1 + c))..<(i * width + d * (2 + c))])
                }
            }

            var random = Self.stream(rank: comm.rank, shared: shared.state, seed: configuration.seed)
            let rounds = MIRIRounds(configuration: configuration, hooks: hooks, bounds: bounds)
            var networks: [MLP] = [], diagnostics: [RoundDiagnostics] = []
            for k in 1...configuration.rounds {
                let (network, diag) = try rounds.runRound(k, x: &x, observed: observed, tableRows: n, random: &random,
                                                          previous: networks.last, communicator: comm)
                networks.append(network)
                diagnostics.append(diag)
                hooks.roundFinished?(diag, block)
            }
            // A fit split over processes keeps the whole-table member alone: the bootstrap members
            // would each need every row on one process.
            var kept = configuration
            kept.members = nil
            let model = FittedMIRI(configuration: kept, scaling: scaling, bounds: bounds,
                                   networks: networks, rounds: diagnostics, compute: compute)
            // The first imputation's rows back to their blocks.
            let back = layout.undeal(Array(x.storage[0..<(mine * d)]), width: d, communicator: comm)
            do {
                return (model, try block.merging(imputed: scaling.invert(Matrix(rows: m, cols: d, storage: back))))
            } catch let error as OutOfRangeImputation {
                throw OutOfRangeImputation(row: error.row + first, column: error.column)
            }
        }
    }

    /// The block's mask, after the checks `MissingPattern(validating:)` makes on a whole table,
    /// agreed by every rank (the first bad cell or column of the whole table, in global terms).
    static func checkedPattern(_ block: Matrix, layout: RowLayout, communicator comm: Communicator) throws -> MissingPattern {
        let d = block.cols, n = layout.tableRows
        if n == 0 || d == 0 { throw InputError.empty }
        let local = block.storage.firstIndex { $0.isInfinite }.map { layout.firsts[comm.rank] * d + $0 } ?? n * d
        let firstInfinite = Int(comm.minimum([Double(local)])[0])
        if firstInfinite < n * d { throw InputError.infinite(row: firstInfinite / d, column: firstInfinite % d) }
        let pattern = try MissingPattern(checking: block)
        var counts = [Double](repeating: 0, count: d)
        for k in 0..<pattern.observed.count { counts[k % d] += Double(pattern.observed.storage[k]) }
        if let j = comm.sum(counts).firstIndex(of: 0) { throw InputError.columnWithoutObservations(column: j) }
        return pattern
    }

    /// Each chain's noise fill of this rank's block (chains stacked, as `start` stacks whole
    /// tables): the values one process draws for these rows. `random` starts at the seed and
    /// ends where one process's stream is after the whole table's fills.
    static func blockFills(_ standardized: Matrix, chains: Int, random: inout RandomSource, communicator comm: Communicator) -> [Float] {
        let missing = standardized.storage.reduce(0) { $1.isNaN ? $0 + 1 : $0 }
        let counts = comm.allGather(missing)
        let before = counts[..<comm.rank].reduce(0, +), total = counts.reduce(0, +)
        var fills: [Float] = []
        fills.reserveCapacity(chains * standardized.count)
        for _ in 0..<chains {
            random.skipNormals(before)
            fills += noiseFilled(standardized, random: &random).storage
            random.skipNormals(total - before - missing)
        }
        return fills
    }
}

extension Standardization {
    /// `init(fitting:)` of the table made of every rank's `block`, from all-reduced sums.
    package init(fittingBlocks block: Matrix, communicator comm: Communicator) {
        let d = block.cols
        var firstPass = [Double](repeating: 0, count: 2 * d)     // counts, then sums
        for i in 0..<block.rows {
            for j in 0..<d where !block[i, j].isNaN { firstPass[j] += 1; firstPass[d + j] += Double(block[i, j]) }
        }
        firstPass = comm.sum(firstPass)
        let means = (0..<d).map { firstPass[$0] > 0 ? firstPass[d + $0] / firstPass[$0] : 0 }
        var squares = [Double](repeating: 0, count: d)
        for i in 0..<block.rows {
            for j in 0..<d where !block[i, j].isNaN { let e = Double(block[i, j]) - means[j]; squares[j] += e * e }
        }
        squares = comm.sum(squares)
        let stds = (0..<d).map { j -> Double in
            guard firstPass[j] > 0 else { return 1 }
            let std = (squares[j] / firstPass[j]).squareRoot()
            return std > 0 && std.isFinite ? std : 1
        }
        self.init(means: means, stds: stds)
    }
}

/// Where the rows of a table split over ranks live: contiguous blocks (rank r holds rows
/// firsts[r] ..< firsts[r] + blocks[r], as read from its byte range) or dealt round-robin
/// (rank r holds rows r, r + P, r + 2P, …, the layout the split round trains on).
struct RowLayout {
    let blocks: [Int]
    let firsts: [Int]
    let rank: Int
    var size: Int { blocks.count }
    var tableRows: Int { (firsts.last ?? 0) + (blocks.last ?? 0) }

    init(blocks: [Int], rank: Int) {
        self.blocks = blocks
        self.rank = rank
        var firsts: [Int] = [], sum = 0
        for b in blocks { firsts.append(sum); sum += b }
        self.firsts = firsts
    }

    /// The rows of block `s` that are dealt to rank `r`, in order.
    func rows(ofBlock s: Int, dealtTo r: Int) -> StrideTo<Int> {
        let lo = firsts[s], hi = firsts[s] + blocks[s]
        let start = lo + ((r - lo % size) % size + size) % size
        return stride(from: start, to: hi, by: size)
    }

    /// This rank's block rows (`width` Floats each) → its dealt rows (row g at index g / P).
    func deal(_ values: [Float], width: Int, communicator comm: Communicator) -> [Float] {
        let parts = (0..<size).map { r in Self.bytes(values, rows: rows(ofBlock: rank, dealtTo: r).map { $0 - firsts[rank] }, width: width) }
        let received = comm.allToAll(parts)
        let mine = (tableRows - rank + size - 1) / size
        var out = [Float](repeating: 0, count: mine * width)
        for s in 0..<size { Self.place(received[s], into: &out, rows: rows(ofBlock: s, dealtTo: rank).map { $0 / size }, width: width) }
        return out
    }

    /// The inverse of `deal`: this rank's dealt rows → its block rows.
    func undeal(_ values: [Float], width: Int, communicator comm: Communicator) -> [Float] {
        let parts = (0..<size).map { s in Self.bytes(values, rows: rows(ofBlock: s, dealtTo: rank).map { $0 / size }, width: width) }
        let received = comm.allToAll(parts)
        var out = [Float](repeating: 0, count: blocks[rank] * width)
        for r in 0..<size { Self.place(received[r], into: &out, rows: rows(ofBlock: rank, dealtTo: r).map { $0 - firsts[rank] }, width: width) }
        return out
    }

    private static func bytes(_ values: [Float], rows: [Int], width: Int) -> [UInt8] {
        var picked = [Float]()
        picked.reserveCapacity(rows.count * width)
        for i in rows { picked += values[(i * width)..<(i * width + width)] }
        return picked.withUnsafeBytes { Array($0) }
    }

    private static func place(_ bytes: [UInt8], into out: inout [Float], rows: [Int], width: Int) {
        precondition(bytes.count == rows.count * width * 4, "a rank sent another number of rows than the layout says")
        bytes.withUnsafeBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            for (k, i) in rows.enumerated() {
                out.replaceSubrange((i * width)..<(i * width + width), with: floats[(k * width)..<(k * width + width)])
            }
        }
    }
}
