import Flow
import Foundation
import Imputation
import Linalg

/// The body sections that model files and checkpoints share, each written and read in one
/// place. A reader validates every value it reads and throws
/// `ModelFileError.Kind.invalidField` naming the field as docs/model-format.md does.
enum ModelSections {
    typealias Invalid = ModelFileError.Kind

    // MARK: configuration: L bytes of UTF-8 JSON (MIRIConfiguration's Codable form, sorted keys)

    static func configurationJSON(_ configuration: MIRIConfiguration) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A MIRIConfiguration holds only numbers, booleans and arrays of numbers: it always encodes.
        return Array(try! encoder.encode(configuration))
    }

    /// The configuration JSON, decoded and checked against `ConfigurationLimits` for a table of
    /// `columns` columns.
    static func readConfiguration(_ r: inout ByteReader, length: Int, columns: Int) throws -> MIRIConfiguration {
        let json = try r.raw(length, "configuration")
        let configuration: MIRIConfiguration
        do {
            configuration = try JSONDecoder().decode(MIRIConfiguration.self, from: Data(json))
        } catch {
            throw Invalid.invalidField(field: "configuration", reason: "not a MIRI configuration in JSON (\(describe(error, json: json)))")
        }
        if let message = ConfigurationLimits.violation(in: configuration, columns: columns) {
            throw Invalid.invalidField(field: "configuration", reason: message)
        }
        return configuration
    }

    /// The decoding error in a few words, without Foundation's long coding paths.
    private static func describe(_ error: Error, json: some Collection<UInt8>) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "no field \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case let DecodingError.dataCorrupted(context):
            if context.codingPath.isEmpty, let field = outOfRangeNumber(json) { return field }
            return context.codingPath.isEmpty ? "malformed JSON"
                : "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)"
        default: return String(describing: error)
        }
    }

    /// Well-formed JSON whose number does not fit its field is reported by Foundation's decoder
    /// as malformed, without the field: name the first field holding a number beyond a 32-bit
    /// float (the settings' floats) or a 64-bit integer (their counts and seed).
    private static func outOfRangeNumber(_ json: some Collection<UInt8>) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return nil }
        for key in object.keys.sorted() {
            let values = (object[key] as? [Any]) ?? [object[key] as Any]
            for case let number as NSNumber in values {
                let value = number.doubleValue
                if !(value.magnitude <= Double(Float.greatestFiniteMagnitude)) {
                    return "field \"\(key)\": \(value) is beyond the range of a 32-bit float (about ±3.4e38)"
                }
                if value.magnitude >= 0x1p64 {
                    return "field \"\(key)\": \(value) is beyond the range of a 64-bit integer"
                }
            }
        }
        return nil
    }

    /// The header's column count: at least 1, and no more than the body's bytes can scale
    /// (16 bytes of means and stds per column), so later size computations stay small.
    static func checkColumns(_ d: Int, body r: ByteReader) throws {
        if d < 1 { throw Invalid.invalidField(field: "columns", reason: "0; a model needs at least one column") }
        if d > r.remaining / 16 {
            throw Invalid.invalidField(field: "columns", reason: "\(d) columns need 16 bytes of scaling each, only \(r.remaining) bytes remain")
        }
    }

    // MARK: column names: u32 count (0 = unnamed, else d), then per name u32 length + UTF-8

    static func write(names: [String]?, to w: inout ByteWriter) {
        w.u32(names?.count ?? 0)
        for name in names ?? [] { w.string(name) }
    }

    static func readNames(_ r: inout ByteReader, columns d: Int) throws -> [String]? {
        let count = Int(try r.u32("column names count"))
        if count == 0 { return nil }
        if count != d { throw Invalid.invalidField(field: "column names count", reason: "\(count) names for \(d) columns (0 or \(d) expected)") }
        return try (1...count).map { try r.string("column name \($0)") }
    }

    // MARK: scaling: d f64 means, then d f64 stds

    static func write(scaling: Standardization, to w: inout ByteWriter) {
        w.f64s(scaling.means)
        w.f64s(scaling.stds)
    }

    static func readScaling(_ r: inout ByteReader, columns d: Int) throws -> Standardization {
        let means = try r.f64s(d, "scaling means")
        let stds = try r.f64s(d, "scaling stds")
        if let j = means.firstIndex(where: { !$0.isFinite }) {
            throw Invalid.invalidField(field: "scaling means", reason: "column \(j + 1): \(means[j]) is not finite")
        }
        if let j = stds.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw Invalid.invalidField(field: "scaling stds", reason: "column \(j + 1): \(stds[j]) is not a positive finite number")
        }
        return Standardization(means: means, stds: stds)
    }

    // MARK: bounds: u8 flag (1 = present), then d f32 lower, d f32 upper

    static func write(bounds: ColumnBounds?, to w: inout ByteWriter) {
        w.u8(bounds == nil ? 0 : 1)
        if let bounds {
            w.f32s(bounds.lower)
            w.f32s(bounds.upper)
        }
    }

    static func readBounds(_ r: inout ByteReader, columns d: Int, configuration: MIRIConfiguration) throws -> ColumnBounds? {
        let flag = try r.u8("bounds flag")
        if flag > 1 { throw Invalid.invalidField(field: "bounds flag", reason: "\(flag); expected 0 (none) or 1") }
        if (flag == 1) != configuration.clampToObservedRange {
            throw Invalid.invalidField(field: "bounds flag", reason: "\(flag), but the configuration says clampToObservedRange = \(configuration.clampToObservedRange)")
        }
        guard flag == 1 else { return nil }
        let lower = try r.f32s(d, "bounds lower"), upper = try r.f32s(d, "bounds upper")
        for j in 0..<d where !(lower[j].isFinite && upper[j].isFinite && lower[j] <= upper[j]) {
            throw Invalid.invalidField(field: "bounds", reason: "column \(j + 1): [\(lower[j]), \(upper[j])] is not a finite range")
        }
        return ColumnBounds(lower: lower, upper: upper)
    }

    // MARK: networks: per round, u32 W, W u32 widths, u64 P, P f32 parameters,
    //       then f32 mean loss, f32 last-epoch loss, f64 training seconds, f64 ODE seconds

    static func write(network: MLP, diagnostics: RoundDiagnostics?, to w: inout ByteWriter) {
        w.u32(network.widths.count)
        for width in network.widths { w.u32(width) }
        w.u64(UInt64(network.parameterCount))
        w.f32s(UnsafeBufferPointer(start: network.parameters.pointer, count: network.parameterCount))
        w.f32(diagnostics?.meanLoss ?? .nan)
        w.f32(diagnostics?.finalEpochLoss ?? .nan)
        w.f64(diagnostics?.trainingSeconds ?? 0)
        w.f64(diagnostics?.odeSeconds ?? 0)
    }

    /// Widths every network of a run of `configuration` on `d` columns has.
    static func expectedWidths(columns d: Int, configuration: MIRIConfiguration) -> [Int] {
        configuration.networkWidths(columns: d)
    }

    /// Weights plus biases of an MLP with these widths, or nil if the count overflows.
    static func parameterCount(_ widths: [Int]) -> Int? {
        var total = 0
        for l in 1..<widths.count {
            let (weights, o1) = widths[l - 1].multipliedReportingOverflow(by: widths[l])
            let (layer, o2) = weights.addingReportingOverflow(widths[l])
            let (sum, o3) = total.addingReportingOverflow(layer)
            if o1 || o2 || o3 { return nil }
            total = sum
        }
        return total
    }

    /// Throws unless `count` networks of this configuration's size fit in what is left of the
    /// file: a model's rounds (one network each) are bounded by the file's own size.
    static func checkNetworksFit(_ count: Int, columns d: Int, configuration: MIRIConfiguration, in r: ByteReader) throws {
        let widths = expectedWidths(columns: d, configuration: configuration)
        guard count > 0, let parameters = parameterCount(widths) else { return }
        // width count, widths, parameter count, parameters, two f32 losses, two f64 timings
        let each = 4 + 4 * widths.count + 8 + 4 * parameters + 8 + 16
        if count > r.remaining / each {
            throw Invalid.invalidField(field: "networks", reason: "\(count) networks of \(each) bytes each do not fit in the "
                                       + "\(r.remaining) bytes left")
        }
    }

    static func readNetwork(_ r: inout ByteReader, round k: Int, member: Int = 1, columns d: Int,
                            configuration: MIRIConfiguration) throws -> (MLP, RoundDiagnostics) {
        let field = member == 1 ? "round \(k)" : "member \(member) round \(k)"
        let count = try r.count("\(field) width count", unitBytes: 4, limit: 4096)
        let widths = try (0..<count).map { _ in Int(try r.u32("\(field) widths")) }
        let expected = expectedWidths(columns: d, configuration: configuration)
        if widths != expected {
            throw Invalid.invalidField(field: "\(field) widths", reason: "\(widths) do not fit a table of \(d) columns with hidden widths "
                                       + "\(configuration.hiddenWidths); expected \(expected)")
        }
        guard let parameters = parameterCount(widths) else {
            throw Invalid.invalidField(field: "\(field) widths", reason: "\(widths) is too large a network")
        }
        let stored = try r.u64("\(field) parameter count")
        if stored != UInt64(parameters) {
            throw Invalid.invalidField(field: "\(field) parameter count", reason: "\(stored), but widths \(widths) have \(parameters)")
        }
        try r.require(parameters, unitBytes: 4, for: "\(field) parameters")
        let network = MLP(widths: widths)
        try r.f32s(parameters, into: network.parameters.pointer, "\(field) parameters")
        if let i = (0..<parameters).first(where: { !network.parameters.pointer[$0].isFinite }) {
            throw Invalid.invalidField(field: "\(field) parameters", reason: "parameter \(i) is \(network.parameters.pointer[i]), not a finite number")
        }
        let diagnostics = RoundDiagnostics(round: k, meanLoss: try r.f32("\(field) mean loss"),
                                           finalEpochLoss: try r.f32("\(field) last-epoch loss"),
                                           trainingSeconds: try r.f64("\(field) training seconds"),
                                           odeSeconds: try r.f64("\(field) ODE seconds"))
        return (network, diagnostics)
    }

    /// Throws unless the reader consumed the body exactly.
    static func checkEnd(_ r: ByteReader, after field: String) throws {
        if r.remaining != 0 {
            throw Invalid.invalidField(field: "file length", reason: "\(r.remaining) unexplained bytes after the \(field)")
        }
    }
}
