import Foundation
import Testing
import Flow
import Imputation

/// Fields added to `MIRIConfiguration` after model files were written decode, when absent, to the
/// value that reproduces how those files' models were trained.
@Suite("MIRI configuration coding")
struct MIRIConfigurationCodingTests {
    @Test("a configuration written before the solver and the partner weight existed decodes to Euler, no weight")
    func oldFields() throws {
        var c = MIRIConfiguration.fast
        c.odeSolver = .midpoint; c.observedPartnerWeight = 3
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var object = try JSONSerialization.jsonObject(with: encoder.encode(c)) as! [String: Any]
        #expect(object["odeSolver"] as? String == "midpoint")
        #expect((object["observedPartnerWeight"] as? NSNumber)?.floatValue == 3)
        #expect(try JSONDecoder().decode(MIRIConfiguration.self, from: encoder.encode(c)) == c)
        object["odeSolver"] = nil
        object["observedPartnerWeight"] = nil
        let old = try JSONDecoder().decode(MIRIConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.odeSolver == .euler && old.observedPartnerWeight == nil)
        #expect(old == MIRIConfiguration.fast)
    }

    @Test("a configuration written before the widening with the table existed decodes to fixed widths")
    func oldWidths() throws {
        let c = MIRIConfiguration.calibrated
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as! [String: Any]
        #expect(object["widensWithTable"] as? Bool == true)
        #expect(try JSONDecoder().decode(MIRIConfiguration.self, from: JSONEncoder().encode(c)) == c)
        object["widensWithTable"] = nil
        let old = try JSONDecoder().decode(MIRIConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(!old.widensWithTable)
        #expect(old.networkWidths(columns: 128) == [385, 128, 128, 128])
    }
}
