import Flow
import Foundation
import Imputation
import Linalg
import ModelStore
import Testing

@Suite("Model file: members")
struct ModelFileMembersTests {
    static func model(members: Int?) throws -> FittedMIRI {
        var c = Fixture.configuration
        c.members = members
        var model = try MIRIImputer(configuration: c).fit(Fixture.table())
        model.columnNames = ["a", "b", "c"]
        return model
    }

    @Test("a model of several members is version 3 and loads with every member: each draw bit for bit as saved")
    func roundTrip() throws {
        let model = try Self.model(members: 3)
        let bytes = ModelFile.encode(model)
        #expect(bytes[8] == 3)
        let loaded = try ModelFile.decode(bytes, source: "m.miri")
        #expect(loaded.memberCount == 3 && loaded.configuration == model.configuration)
        let fresh = Fixture.table(rows: 40, seed: 99)
        for seed in UInt64(5)...7 {   // the fit's seed 5 and the next two: members 1, 2, 3
            #expect(try loaded.transform(fresh, seed: seed).imputed.storage.map(\.bitPattern)
                    == model.transform(fresh, seed: seed).imputed.storage.map(\.bitPattern))
        }
        #expect(ModelFile.encode(loaded) == bytes)
    }

    @Test("a model of one member keeps version 1, which older readers know")
    func oneMemberKeepsVersionOne() throws {
        #expect(ModelFile.encode(try Self.model(members: nil))[8] == 1)
        #expect(ModelFile.encode(try Self.model(members: 1))[8] == 1)
    }

    @Test("a member count that disagrees with the configuration is refused by name")
    func memberCountChecked() throws {
        var bytes = ModelFile.encode(try Self.model(members: 3))
        // The member count follows the K networks; find it as the u32 2 right after the first member's last network.
        let model = try Self.model(members: 3)
        let perNetwork = 4 + 4 * model.networks[0].widths.count + 8 + 4 * model.networks[0].parameterCount + 24
        let afterMembers = bytes.count - 4 - 2 * model.networks.count * perNetwork
        #expect(Array(bytes[(afterMembers - 4)..<afterMembers]) == [2, 0, 0, 0])
        bytes[afterMembers - 4] = 5
        bytes = Fixture.resealed(bytes)
        #expect {
            try ModelFile.decode(bytes, source: "bad.miri")
        } throws: { error in
            String(describing: error).contains("member count")
        }
    }
}
