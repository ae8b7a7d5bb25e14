import Foundation
import Testing
import Flow
import Linalg
import TestSupport
@testable import Imputation

/// MIRI fitted by ranks that each hold one contiguous block of rows (as read from byte ranges).
@Suite("MIRI fitted from row blocks")
struct BlockFitTests {
    static let table = CollectiveFitTests.table

    /// Uneven blocks, one of them empty, covering the table's rows in order.
    static func blocks(size: Int, rows n: Int) -> [Range<Int>] {
        var cuts = [0] + (1..<size).map { n * $0 * $0 / (size * size) } + [n]
        if size > 2 { cuts[2] = cuts[1] }                  // rank 1 holds no row
        return (0..<size).map { cuts[$0]..<cuts[$0 + 1] }
    }

    static func block(_ rows: Range<Int>, of data: Matrix) -> Matrix {
        Matrix(rows: rows.count, cols: data.cols, storage: Array(data.storage[(rows.lowerBound * data.cols)..<(rows.upperBound * data.cols)]))
    }

    @Test("dealing sends row g to rank g mod P, and undealing brings every row back to its block", arguments: [1, 2, 3, 5])
    func dealing(size: Int) throws {
        let n = 23, width = 3
        let blocks = Self.blocks(size: size, rows: n)
        let results = try ThreadGroup.run(size: size) { comm -> ([Float], [Float]) in
            let layout = RowLayout(blocks: comm.allGather(blocks[comm.rank].count), rank: comm.rank)
            let mine = blocks[comm.rank].flatMap { g in (0..<width).map { Float(g * 10 + $0) } }
            let dealt = layout.deal(mine, width: width, communicator: comm)
            return (dealt, layout.undeal(dealt, width: width, communicator: comm))
        }.map { try $0.get() }
        for (r, (dealt, back)) in results.enumerated() {
            let expected: [Float] = stride(from: r, to: n, by: size).flatMap { g in (0..<width).map { Float(g * 10 + $0) } }
            let original: [Float] = blocks[r].flatMap { g in (0..<width).map { Float(g * 10 + $0) } }
            #expect(dealt == expected, "rank \(r)")
            #expect(back == original, "rank \(r)")
        }
    }

    @Test("the blocks' scaling, bounds and noise fills are the whole table's", arguments: [2, 3, 5])
    func roundZero(size: Int) throws {
        var c = CollectiveFitTests.configuration
        c.clampToObservedRange = true
        let data = Self.table, d = data.cols
        let imputer = MIRIImputer(configuration: c, compute: ComputeContext(threads: 1))
        let whole = imputer.start(data, pattern: try MissingPattern(validating: data))
        let chains = c.chains(forRows: data.rows)
        let blocks = Self.blocks(size: size, rows: data.rows)
        let results = try ThreadGroup.run(size: size) { comm -> (Standardization, ColumnBounds, [Float], RandomSource.State) in
            let block = Self.block(blocks[comm.rank], of: data)
            let scaling = Standardization(fittingBlocks: block, communicator: comm)
            let standardized = whole.scaling.apply(block)       // the fill must not depend on the scaling's last bits
            let bounds = ColumnBounds(observedRangeOf: whole.scaling.apply(block), observed: try MissingPattern(checking: block).observed,
                                      communicator: comm)
            var random = RandomSource(seed: c.seed)
            let fills = MIRIImputer.blockFills(standardized, chains: chains, random: &random, communicator: comm)
            return (scaling, bounds, fills, random.state)
        }.map { try $0.get() }
        for (r, (scaling, bounds, fills, state)) in results.enumerated() {
            for j in 0..<d {
                let mean = whole.scaling.means[j], std = whole.scaling.stds[j]
                let meanError: Double = abs(scaling.means[j] - mean), stdError: Double = abs(scaling.stds[j] - std)
                #expect(meanError <= 1e-12 * max(1, abs(mean)))
                #expect(stdError <= 1e-12 * std)
            }
            #expect(bounds == whole.bounds)
            let rows = blocks[r]
            let expected = (0..<chains).flatMap { chain in
                whole.x.storage[((chain * data.rows + rows.lowerBound) * d)..<((chain * data.rows + rows.upperBound) * d)]
            }
            #expect(fills.map(\.bitPattern) == expected.map(\.bitPattern), "rank \(r)'s fills")
            #expect(state == whole.random, "rank \(r)'s stream ends where one process's does")
        }
    }

    @Test("one model on every rank; each block keeps its observed cells and fills its missing ones", arguments: [2, 3])
    func fit(size: Int) throws {
        let data = Self.table
        let imputer = MIRIImputer(configuration: CollectiveFitTests.configuration, compute: ComputeContext(threads: 1))
        let blocks = Self.blocks(size: size, rows: data.rows)
        let results = try ThreadGroup.run(size: size) { comm in
            try imputer.fitAndImpute(block: Self.block(blocks[comm.rank], of: data), communicator: comm)
        }.map { try $0.get() }
        let first = results[0].model.networks.map { Array(UnsafeBufferPointer(start: $0.parameters.pointer, count: $0.parameterCount)) }
        for (r, result) in results.enumerated() {
            let networks = result.model.networks.map { Array(UnsafeBufferPointer(start: $0.parameters.pointer, count: $0.parameterCount)) }
            #expect(networks == first, "rank \(r) holds another model")
            let block = Self.block(blocks[r], of: data)
            #expect(result.imputed.rows == block.rows)
            for k in 0..<block.count {
                if block.storage[k].isNaN { #expect(result.imputed.storage[k].isFinite) }
                else { #expect(result.imputed.storage[k].bitPattern == block.storage[k].bitPattern) }
            }
        }
    }

    @Test("a bad table makes every rank throw the whole table's error, in global rows")
    func agreedErrors() throws {
        var data = Self.table
        let blocks = Self.blocks(size: 3, rows: data.rows)
        let row = blocks[2].lowerBound + 3
        data[row, 1] = .infinity
        let imputer = MIRIImputer(configuration: CollectiveFitTests.configuration, compute: ComputeContext(threads: 1))
        for result in ThreadGroup.run(size: 3, { comm in try imputer.fitAndImpute(block: Self.block(blocks[comm.rank], of: data), communicator: comm) }) {
            #expect(throws: InputError.infinite(row: row, column: 1)) { try result.get() }
        }
        var empty = Self.table
        for i in 0..<empty.rows { empty[i, 2] = .nan }
        for result in ThreadGroup.run(size: 3, { comm in try imputer.fitAndImpute(block: Self.block(blocks[comm.rank], of: empty), communicator: comm) }) {
            #expect(throws: InputError.columnWithoutObservations(column: 2)) { try result.get() }
        }
        let two = Matrix(rows: 2, cols: 2, storage: [1, .nan, 2, 3])
        for result in ThreadGroup.run(size: 3, { comm in
            try imputer.fitAndImpute(block: comm.rank == 0 ? two : Matrix(rows: 0, cols: 2), communicator: comm)
        }) {
            #expect(throws: InputError.tooFewRows(needed: 3, got: 2)) { try result.get() }
        }
    }
}
