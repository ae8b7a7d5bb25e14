import Flow
import Foundation
import Imputation
import Linalg

/// A fitted MIRI model on disk: train once with `miri fit`, impute new tables with `miri apply`.
///
/// The format (docs/model-format.md): the `ModelFormat` header with magic "MIRIMODL", then
///
///     configuration   L bytes of JSON (MIRIConfiguration, sorted keys)
///     column names    u32 count (0 or d), per name u32 length + UTF-8
///     column kinds    version 2 only: see `ModelSections.readSchema` (SchemaSection.swift)
///     scaling         d f64 means, d f64 stds
///     bounds          u8 flag, then d f32 lower and d f32 upper when 1
///     K networks      u32 W, W u32 widths, u64 P, P f32 weights and biases, f32 mean loss,
///                     f32 last-epoch loss, f64 training seconds, f64 ODE seconds
///     members         version 3 only: u32 E, then E × K networks as above (members 2 … E + 1)
///
/// Version 3 (a model of several members, `MIRIConfiguration.members`) also puts a u8 flag
/// before the column kinds: 1 when the section follows, 0 for a table of numbers.
/// and the CRC-32 trailer. A loaded model imputes bit for bit as the saved one did: every
/// weight is stored as its exact 32-bit pattern, the scaling as 64-bit doubles.
///
///     try ModelFile.write(model, to: "m.miri")
///     let model = try ModelFile.read(path: "m.miri")
public enum ModelFile {
    /// The conventional file extension.
    public static let pathExtension = "miri"

    /// The file's bytes.
    public static func encode(_ model: FittedMIRI) -> [UInt8] {
        let json = ModelSections.configurationJSON(model.configuration)
        let weights = model.networks.reduce(0) { $0 + 4 * $1.parameterCount + 64 }
        // A model of numbers only and one member keeps version 1, which older readers know.
        let version = !model.otherMembers.isEmpty ? ModelFormat.membersVersion
            : model.schema == nil ? ModelFormat.version : ModelFormat.schemaVersion
        var w = ModelFormat.begin(.model, version: version,
                                  columns: model.columns, networks: model.networks.count,
                                  configurationLength: json.count,
                                  capacity: 1024 + json.count + 40 * model.columns + weights * model.memberCount)
        w.raw(json)
        ModelSections.write(names: model.columnNames, to: &w)
        if version == ModelFormat.membersVersion { w.u8(model.schema == nil ? 0 : 1) }
        if let schema = model.schema { ModelSections.write(schema: schema, to: &w) }
        ModelSections.write(scaling: model.scaling, to: &w)
        ModelSections.write(bounds: model.bounds, to: &w)
        for (k, network) in model.networks.enumerated() {
            ModelSections.write(network: network, diagnostics: k < model.rounds.count ? model.rounds[k] : nil, to: &w)
        }
        if version == ModelFormat.membersVersion {
            w.u32(UInt32(model.otherMembers.count))
            for member in model.otherMembers {
                for network in member { ModelSections.write(network: network, diagnostics: nil, to: &w) }
            }
        }
        return ModelFormat.seal(w)
    }

    /// The model in `bytes`; `source` names the file in errors.
    ///
    /// Throws `ModelFileError` for anything but an intact model file of this version: the wrong
    /// magic (or a checkpoint), another version, a truncated or extended file, a checksum
    /// mismatch, or a field with an impossible value (networks whose widths do not fit the
    /// columns and configuration, a non-finite weight, a zero std, …). Never traps.
    public static func decode(_ bytes: [UInt8], source: String) throws -> FittedMIRI {
        do {
            let (header, body) = try ModelFormat.open(bytes, as: .model, newest: ModelFormat.membersVersion)
            var r = body
            try ModelSections.checkColumns(header.columns, body: r)
            let configuration = try ModelSections.readConfiguration(&r, length: header.configurationLength, columns: header.columns)
            if header.networks < 1 || header.networks != configuration.rounds {
                throw ModelFileError.Kind.invalidField(
                    field: "networks", reason: "\(header.networks), but the configuration has \(configuration.rounds) rounds (one network each)")
            }
            let d = header.columns
            let names = try ModelSections.readNames(&r, columns: d)
            let hasSchema = header.version == ModelFormat.membersVersion
                ? try r.flag("column kinds flag") : header.version >= ModelFormat.schemaVersion
            let schema = hasSchema ? try ModelSections.readSchema(&r, columns: d, names: names) : nil
            let scaling = try ModelSections.readScaling(&r, columns: d)
            let bounds = try ModelSections.readBounds(&r, columns: d, configuration: configuration)
            try ModelSections.checkNetworksFit(header.networks, columns: d, configuration: configuration, in: r)
            var networks: [MLP] = [], rounds: [RoundDiagnostics] = []
            for k in 1...header.networks {
                let (network, diagnostics) = try ModelSections.readNetwork(&r, round: k, columns: d, configuration: configuration)
                networks.append(network)
                rounds.append(diagnostics)
            }
            var others: [[MLP]] = []
            if header.version == ModelFormat.membersVersion {
                let count = Int(try r.u32("member count"))
                if count < 1 || count + 1 != configuration.memberCount {
                    throw ModelFileError.Kind.invalidField(
                        field: "member count", reason: "\(count) besides the first, but the configuration has \(configuration.memberCount) members")
                }
                try ModelSections.checkNetworksFit(count * header.networks, columns: d, configuration: configuration, in: r)
                for member in 2...(count + 1) {
                    others.append(try (1...header.networks).map { k in
                        try ModelSections.readNetwork(&r, round: k, member: member, columns: d, configuration: configuration).0
                    })
                }
            }
            try ModelSections.checkEnd(r, after: "last network")
            var model = FittedMIRI(configuration: configuration, scaling: scaling, bounds: bounds, networks: networks,
                                   otherMembers: others, rounds: rounds, columnNames: names)
            model.schema = schema
            return model
        } catch let kind as ModelFileError.Kind {
            throw ModelFileError(kind, source: source)
        }
    }

    /// Writes `model` to `path` atomically (temporary file in the same folder, then rename).
    public static func write(_ model: FittedMIRI, to path: String) throws {
        try FileBytes.write(encode(model), to: path)
    }

    /// Reads the model file at `path`; errors name it by `path`.
    public static func read(path: String) throws -> FittedMIRI {
        try decode(FileBytes.read(path: path), source: path)
    }
}
