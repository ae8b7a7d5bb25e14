import Testing
import Linalg
import Flow
import Imputation

/// The members of a MIRI fit (`MIRIConfiguration.members`): the whole-table fit and bootstrap
/// refits, which consecutive draws cycle through.
@Suite("MIRI members", .serialized)
struct MIRIMembersTests {
    static let truth = Synthetic.equicorrelated(rows: 300, columns: 4, rho: 0.9, seed: 13)
    static let masked = Synthetic.mcar(truth, rate: 0.4, seed: 14)
    static func configuration(members: Int?) -> MIRIConfiguration {
        var c = Synthetic.testConfiguration
        c.members = members; c.seed = 21
        return c
    }
    static let fitted: (model: FittedMIRI, imputed: Matrix) = try! MIRIImputer(
        configuration: configuration(members: 3), compute: ComputeContext(threads: 2)).fitAndImpute(masked)

    @Test("a fit keeps M members; the first is the whole-table fit: impute, transform with the fit's seed and draw 1 reproduce it")
    func firstMemberIsTheFit() throws {
        let (model, imputed) = Self.fitted
        #expect(model.memberCount == 3)
        #expect(model.summary == "miri: 8 rounds, 3 members")
        let single = try MIRIImputer(configuration: Self.configuration(members: 3), compute: ComputeContext(threads: 2)).impute(Self.masked)
        #expect(single.imputed == imputed)
        #expect(try model.transform(Self.masked).imputed == imputed)
        #expect(try model.draws(Self.masked, count: 1, seed: 21)[0] == imputed)
        // A one-member fit of the same settings trains the same first member.
        let one = try MIRIImputer(configuration: Self.configuration(members: 1), compute: ComputeContext(threads: 2)).fitAndImpute(Self.masked)
        #expect(one.imputed == imputed)
        #expect(one.model.memberCount == 1)
    }

    @Test("consecutive draw seeds cycle through the members, counted from the fit's seed")
    func drawsCycle() throws {
        let model = Self.fitted.model
        #expect((0..<7).map { model.member(forDraw: RandomSource(seed: 21 + UInt64($0))) } == [0, 1, 2, 0, 1, 2, 0])
        // One seed below the fit's wraps to 2⁶⁴ − 1 = 3 · 6148914691236517205: member 0, not 2.
        #expect(model.member(forDraw: RandomSource(seed: 20)) == 0)
        // Draws 2 and 3 come from the bootstrap members: the same noise fill through other flows.
        let one = try MIRIImputer(configuration: Self.configuration(members: 1), compute: ComputeContext(threads: 2)).fit(Self.masked)
        let many = try model.draws(Self.masked, count: 3, seed: 21), single = try one.draws(Self.masked, count: 3, seed: 21)
        #expect(many[0] == single[0])
        #expect(many[1] != single[1] && many[2] != single[2])
        for draw in many {
            for k in 0..<Self.masked.count where !Self.masked.storage[k].isNaN {
                #expect(draw.storage[k].bitPattern == Self.masked.storage[k].bitPattern)
            }
            #expect(!draw.storage.contains { $0.isNaN })
        }
    }

    @Test("the bootstrap members are the same for any thread count")
    func membersIgnoreThreads() throws {
        let serial = try MIRIImputer(configuration: Self.configuration(members: 3), compute: ComputeContext(threads: 1)).fit(Self.masked)
        let bootstrapDraws = { (model: FittedMIRI) in try model.draws(Self.masked, count: 3, seed: 21).dropFirst() }
        #expect(Array(try bootstrapDraws(serial)) == Array(try bootstrapDraws(Self.fitted.model)))
    }

    /// The members must differ by about what fits on resamples differ: the spread of the
    /// members' conditional means is what one model's draws leave out. Two means of 10 draws from
    /// one member differ by draw noise alone; a mean of 10 draws of member 1 and one of member 2
    /// differ by that noise plus the members' own difference, so their mean square difference
    /// must clearly exceed the first (1.5×).
    @Test("members' conditional means differ by more than draw noise")
    func membersDiffer() throws {
        let draws = try Self.fitted.model.draws(Self.masked, count: 60, seed: 21)
        func mean(member: Int, half: Int) -> Matrix {
            let mine = draws.enumerated().filter { $0.offset % 3 == member }.map(\.element)
            return FittedMIRI.mean(of: Array(mine[(10 * half)..<(10 * half + 10)]), over: Self.masked)
        }
        func meanSquareDifference(_ a: Matrix, _ b: Matrix) -> Double {
            var squares = 0.0, cells = 0
            for k in 0..<Self.masked.count where Self.masked.storage[k].isNaN {
                let d = Double(a.storage[k] - b.storage[k])
                squares += d * d; cells += 1
            }
            return squares / Double(cells)
        }
        let within = meanSquareDifference(mean(member: 0, half: 0), mean(member: 0, half: 1))
        let between = meanSquareDifference(mean(member: 1, half: 0), mean(member: 2, half: 1))
        #expect(between > 1.5 * within, "between members \(between), within one member \(within)")
    }

    @Test("members outside 1…64 are refused by name")
    func validation() {
        var c = Self.configuration(members: 0)
        #expect(c.validationError() == "members must be between 1 and 64 (got 0)")
        c.members = 65
        #expect(c.validationError() != nil)
        c.members = nil
        #expect(c.validationError() == nil && c.memberCount == 1)
    }
}
