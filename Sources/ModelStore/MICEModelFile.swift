import Foundation
import Imputation

/// A fitted MICE model on disk (`miri fit --method mice`), read back by `miri apply`.
///
/// The `ModelFormat` container (version 1) with magic "MIRIMICE"; its header's "networks"
/// field holds R, the rounds fitted. The body (docs/model-format.md, "MICE model files"):
///
///     configuration   L bytes of JSON (MICEConfiguration, sorted keys)
///     column names    u32 count (0 or d), per name u32 length + UTF-8
///     column kinds    version 2 only (SchemaSection.swift)
///     converged       u8: 1 if the fit stopped on its tolerance
///     means           d f64: the initial fill
///     order           u32 count c (= d), then c u32 column indices: the visiting order
///     R rounds        each c steps in the order; a step, with p = d − 1:
///                     u32 iterations, f64 α, f64 λ, f64 intercept, p f64 coefficients,
///                     p f64 feature means, p·p f64 posterior covariance (row-major), u8 solved by eigen
///
/// and the CRC-32 trailer. Version 3 (a fit with nearest features, `MICEConfiguration.nearestFeatures`;
/// written only then) differs in two places: the column kinds are preceded by a u8, 1 when they
/// follow and 0 when the table was numeric, and each step starts with u32 k and its k features
/// (u32 column indices, ascending, never the step's own column), with p = k for its fields.
/// Every number is stored as its exact bit pattern, so a loaded model
/// imputes bit for bit as the saved one did. A separate kind of file rather than a section of
/// MIRI's: the two share the container and nothing of the body.
public enum MICEModelFile {
    /// The conventional file extension.
    public static let pathExtension = "mice"
    /// The format version of a model fitted with nearest features (each step lists its own).
    static let neighbourVersion: UInt32 = 3

    /// The file's bytes.
    public static func encode(_ model: FittedMICE) -> [UInt8] {
        let json = configurationJSON(model.configuration)
        let d = model.columns, p = model.nearestFeatures ?? max(d - 1, 0)
        let limited = model.nearestFeatures != nil
        let stepBytes = 4 + 24 + 8 * (2 * p + p * p) + 1 + (limited ? 4 + 4 * p : 0)
        let version = limited ? neighbourVersion : model.schema == nil ? ModelFormat.version : ModelFormat.schemaVersion
        var w = ModelFormat.begin(.mice, version: version, columns: d, networks: model.roundsRun, configurationLength: json.count,
                                  capacity: 1024 + json.count + 40 * d + model.roundsRun * model.order.count * stepBytes)
        w.raw(json)
        ModelSections.write(names: model.columnNames, to: &w)
        if limited { w.u8(model.schema == nil ? 0 : 1) }
        if let schema = model.schema { ModelSections.write(schema: schema, to: &w) }
        w.u8(model.converged ? 1 : 0)
        w.f64s(model.means)
        w.u32(model.order.count)
        for j in model.order { w.u32(j) }
        for steps in model.rounds {
            for step in steps {
                let m = step.model
                if limited {
                    let features = step.features ?? []
                    w.u32(features.count)
                    for k in features { w.u32(k) }
                }
                w.u32(m.iterations)
                w.f64(m.alpha)
                w.f64(m.lambda)
                w.f64(m.intercept)
                w.f64s(m.coefficients)
                w.f64s(m.featureMeans)
                // A fitted model always holds the covariance (fits record it for draws).
                w.f64s(m.covariance ?? [Double](repeating: 0, count: m.features * m.features))
                w.u8(m.solvedByEigen ? 1 : 0)
            }
        }
        return ModelFormat.seal(w)
    }

    /// The model in `bytes`; `source` names the file in errors. Throws `ModelFileError` for
    /// anything but an intact MICE model of this version; never traps.
    public static func decode(_ bytes: [UInt8], source: String) throws -> FittedMICE {
        do {
            let (header, body) = try ModelFormat.open(bytes, as: .mice, newest: neighbourVersion)
            var r = body
            try ModelSections.checkColumns(header.columns, body: r)
            let d = header.columns
            let configuration = try readConfiguration(&r, length: header.configurationLength)
            let rounds = header.networks
            if d == 1 ? rounds != 0 : !(1...configuration.rounds).contains(rounds) {
                throw ModelFileError.Kind.invalidField(
                    field: "rounds", reason: "\(rounds), but a MICE fit of \(d) column(s) with at most \(configuration.rounds) rounds stores "
                        + (d == 1 ? "0" : "1 to \(configuration.rounds)"))
            }
            let names = try ModelSections.readNames(&r, columns: d)
            let limited = header.version >= neighbourVersion
            let hasSchema = limited ? try flag(&r, "column kinds present") : header.version >= ModelFormat.schemaVersion
            let schema = hasSchema ? try ModelSections.readSchema(&r, columns: d, names: names) : nil
            let converged = try flag(&r, "converged")
            let means = try r.f64s(d, "means")
            if let j = means.firstIndex(where: { !$0.isFinite }) {
                throw ModelFileError.Kind.invalidField(field: "means", reason: "column \(j + 1): \(means[j]) is not finite")
            }
            let order = try readOrder(&r, columns: d)
            var fitted: [[MICEStep]] = []
            for round in 0..<rounds {
                fitted.append(try order.map { column in
                    let features = limited ? try readFeatures(&r, round: round + 1, column: column, columns: d) : nil
                    return try readStep(&r, round: round + 1, column: column, features: features?.count ?? d - 1, chosen: features)
                })
            }
            try ModelSections.checkEnd(r, after: "last round")
            var model = FittedMICE(configuration: configuration, means: means, order: order, rounds: fitted, converged: converged,
                                   columnNames: names)
            model.schema = schema
            return model
        } catch let kind as ModelFileError.Kind {
            throw ModelFileError(kind, source: source)
        }
    }

    /// Writes `model` to `path` atomically (temporary file in the same folder, then rename).
    public static func write(_ model: FittedMICE, to path: String) throws {
        try FileBytes.write(encode(model), to: path)
    }

    /// Reads the MICE model file at `path`; errors name it by `path`.
    public static func read(path: String) throws -> FittedMICE {
        try decode(FileBytes.read(path: path), source: path)
    }

    // MARK: sections

    static func configurationJSON(_ configuration: MICEConfiguration) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Numbers and a boolean only: it always encodes.
        return Array(try! encoder.encode(configuration))
    }

    private static func readConfiguration(_ r: inout ByteReader, length: Int) throws -> MICEConfiguration {
        let json = try r.raw(length, "configuration")
        guard let configuration = try? JSONDecoder().decode(MICEConfiguration.self, from: Data(json)) else {
            throw ModelFileError.Kind.invalidField(field: "configuration", reason: "not a MICE configuration in JSON")
        }
        if let message = configuration.validationError() { throw ModelFileError.Kind.invalidField(field: "configuration", reason: message) }
        return configuration
    }

    private static func flag(_ r: inout ByteReader, _ field: String) throws -> Bool {
        let value = try r.u8(field)
        if value > 1 { throw ModelFileError.Kind.invalidField(field: field, reason: "\(value); 0 or 1 expected") }
        return value == 1
    }

    /// A permutation of the d columns (a fit regresses every column each round).
    private static func readOrder(_ r: inout ByteReader, columns d: Int) throws -> [Int] {
        let count = try r.count("order count", unitBytes: 4)
        if count != d { throw ModelFileError.Kind.invalidField(field: "order count", reason: "\(count) for \(d) columns (\(d) expected)") }
        let order = try (0..<count).map { _ in Int(try r.u32("order")) }
        if Set(order) != Set(0..<d) {
            throw ModelFileError.Kind.invalidField(field: "order", reason: "\(order.map { $0 + 1 }) is not an ordering of the columns 1...\(d)")
        }
        return order
    }

    /// Version 3's features of one step: 1 to d − 1 distinct column indices, ascending, not `column`.
    private static func readFeatures(_ r: inout ByteReader, round: Int, column: Int, columns d: Int) throws -> [Int] {
        let field = "round \(round) column \(column + 1) features"
        let count = try r.count(field, unitBytes: 4)
        if !(1...max(d - 1, 1)).contains(count) || d < 2 {
            throw ModelFileError.Kind.invalidField(field: field, reason: "\(count) features for a table of \(d) columns (1 to \(d - 1) expected)")
        }
        let features = try (0..<count).map { _ in Int(try r.u32(field)) }
        if zip(features, features.dropFirst()).contains(where: { $0 >= $1 }) || features.contains(column) || features.last! >= d {
            throw ModelFileError.Kind.invalidField(field: field, reason: "\(features.map { $0 + 1 }) is not an ascending list of other columns among 1...\(d)")
        }
        return features
    }

    private static func readStep(_ r: inout ByteReader, round: Int, column: Int, features p: Int, chosen: [Int]? = nil) throws -> MICEStep {
        let field = "round \(round) column \(column + 1)"
        let iterations = Int(try r.u32("\(field) iterations"))
        let alpha = try r.f64("\(field) alpha"), lambda = try r.f64("\(field) lambda")
        let intercept = try r.f64("\(field) intercept")
        let coefficients = try r.f64s(p, "\(field) coefficients")
        let featureMeans = try r.f64s(p, "\(field) feature means")
        let covariance = try r.f64s(p * p, "\(field) covariance")
        let solvedByEigen = try flag(&r, "\(field) solved by eigen")
        // λ = 0 is the flat prior's limit, which a fit whose weights are large can reach; only α
        // and the covariance enter an imputation. (`BayesianRidge` returns exactly these ranges.)
        if !(alpha > 0 && alpha.isFinite && lambda >= 0 && lambda.isFinite) {
            throw ModelFileError.Kind.invalidField(field: field, reason: "precisions α = \(alpha), λ = \(lambda); α must be positive and λ at least 0, both finite")
        }
        if !intercept.isFinite || (coefficients + featureMeans + covariance).contains(where: { !$0.isFinite }) {
            throw ModelFileError.Kind.invalidField(field: field, reason: "a coefficient, mean or covariance entry is not finite")
        }
        if (0..<p).contains(where: { covariance[$0 * p + $0] < 0 }) {
            throw ModelFileError.Kind.invalidField(field: "\(field) covariance", reason: "a negative variance on the diagonal")
        }
        return MICEStep(column: column, model: BayesianRidgeModel(
            coefficients: coefficients, intercept: intercept, featureMeans: featureMeans, alpha: alpha, lambda: lambda,
            iterations: iterations, covariance: covariance, solvedByEigen: solvedByEigen), features: chosen)
    }
}

/// Reads either kind of fitted model by its magic: a MIRI model (`ModelFile`) or a MICE model
/// (`MICEModelFile`). Anything else gets `ModelFile`'s errors, which name MIRI models.
public enum FittedModelFile {
    /// The model in the file at `path`, whichever kind; throws `ModelFileError` for anything else.
    public static func read(path: String) throws -> any FittedImputer {
        let bytes = try FileBytes.read(path: path)
        if bytes.starts(with: ModelFormat.Kind.mice.magicBytes) { return try MICEModelFile.decode(bytes, source: path) }
        return try ModelFile.decode(bytes, source: path)
    }
}
