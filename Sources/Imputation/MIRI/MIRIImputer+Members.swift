import Dispatch
import Foundation
import Flow
import Linalg

/// The members of a fit (`MIRIConfiguration.members`): the fit on the whole table, and members
/// 2 … M, each the same MIRI fit on a resample of the table's rows drawn with replacement.
///
/// Each bootstrap member standardizes with the whole table's scaling and clamps to its bounds,
/// so every member maps a table the same way and only the learned flows differ, by as much as
/// fits on resamples of the data differ: the part of a draw's uncertainty one model cannot show.
///
/// The members train side by side, one per thread of `compute`: the whole-table member with
/// the fit's own context (so its result is `impute`'s, bit for bit), each bootstrap member on
/// one thread. A bootstrap member's seed, resample and training depend on the fit's seed
/// alone, so the members are the same for any thread count. On T threads M members take about
/// ⌈M / T⌉ times one fit: on small tables a fit gains little from a second thread, so the
/// second core trains a member instead.
extension MIRIImputer {
    /// The seed of member `k` (2 … M) of a fit seeded `seed`: far from the draws' seeds
    /// (`seed + k − 1`), so no member's noise replays a draw's.
    static func memberSeed(_ seed: UInt64, member k: Int) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ 0x6D65_6D62_6572_7321)   // "members!"
        var value: UInt64 = 0
        for _ in 1..<k { value = mixer.next() }
        return value
    }

    /// The rows of a bootstrap resample of `n` rows (n draws with replacement).
    static func resampledRows(_ n: Int, random: inout RandomSource) -> [Int] {
        (0..<n).map { _ in random.index(below: n) }
    }

    /// Runs `whole` (the whole-table member's rounds, given the stop test to poll) and trains
    /// members 2 … M beside it; returns its state and their networks. When one member fails,
    /// the others stop at their next poll and the first error is rethrown.
    func withMembers(_ data: Matrix, pattern: MissingPattern,
                     whole: @escaping ((() -> Bool)?) throws -> MIRIRunState) throws -> (MIRIRunState, [[MLP]]) {
        let count = configuration.memberCount
        let scaling = Standardization(fitting: data)
        let bounds = observedBounds(scaling.apply(data), pattern: pattern)
        let slots = MemberSlots(count: count)
        let userStop = hooks.shouldStop
        let stop: () -> Bool = { slots.failed || userStop?() == true }
        let train: (Int) -> Void = { index in
            if index == 0 {
                slots.finish(0, Result { .whole(try whole(stop)) })
            } else {
                slots.finish(index, Result { .member(try self.member(index + 1, of: data, scaling: scaling, bounds: bounds, stop: stop)) })
            }
        }
        let workers = min(compute.threads, count)
        if workers == 1 {
            for index in 0..<count { train(index) }
        } else {
            let work = UncheckedSendable(train)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: count, by: workers) { work.value(index) }
            }
        }
        let results = try slots.results()
        guard case .whole(let state)? = results.first else { preconditionFailure("member 1 is the whole-table fit") }
        return (state, results.dropFirst().map { if case .member(let networks) = $0 { networks } else { [] } })
    }

    /// Member `k`: the K rounds on a bootstrap resample of `data`, on one thread.
    private func member(_ k: Int, of data: Matrix, scaling: Standardization, bounds: ColumnBounds?,
                        stop: @escaping () -> Bool) throws -> [MLP] {
        var config = configuration
        config.seed = Self.memberSeed(configuration.seed, member: k)
        var random = RandomSource(seed: config.seed)
        var sample = data.gatherRows(Self.resampledRows(data.rows, random: &random))
        // A resample without a missing cell gives the flows nothing to learn; the member then trains on the whole table.
        if !sample.storage.contains(where: \.isNaN) { sample = data }
        let pattern = try MissingPattern(checking: sample)
        let single = MIRIImputer(configuration: config, hooks: MIRIHooks(shouldStop: stop), compute: ComputeContext(threads: 1))
        return try single.compute.run {
            var state = single.start(sample, pattern: pattern, shared: (scaling, bounds))
            try single.finishRounds(&state, observed: pattern.observed, hooks: single.hooks)
            return state.networks
        }
    }
}

/// What one member's training gives.
private enum MemberFit {
    case whole(MIRIRunState)
    case member([MLP])
}

/// The members' results as the workers finish them, and whether one has failed.
private final class MemberSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<MemberFit, Error>?]
    private var anyFailed = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool {
        lock.lock(); defer { lock.unlock() }
        return anyFailed
    }

    func finish(_ index: Int, _ result: Result<MemberFit, Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
        if case .failure = result { anyFailed = true }
    }

    /// Every member's result, or an error: the whole-table member's when it failed (its
    /// cancellation says how many rounds were saved), else the first member's that failed.
    func results() throws -> [MemberFit] {
        lock.lock(); defer { lock.unlock() }
        return try slots.map { try $0!.get() }
    }
}
