import Flow
import Foundation
import Imputation
import Linalg
import TableIO

/// A MIRI run's state between rounds, with what the tool needs to check a resume against.
package struct Checkpoint: Sendable {
    package var state: MIRIRunState
    /// The input's column names (its CSV header), when it had them.
    package var columnNames: [String]?
    /// Threads of the run that wrote it: a resumed run matches an uninterrupted one
    /// bit for bit only with the same count.
    package var threads: Int

    package init(state: MIRIRunState, columnNames: [String]?, threads: Int) {
        self.state = state
        self.columnNames = columnNames
        self.threads = threads
    }
}

/// A checkpoint on disk: the state after the last finished round of a long run, rewritten
/// atomically after every round, so `miri impute|fit --checkpoint DIR --resume` can finish a
/// run that was interrupted or killed.
///
/// The format (docs/model-format.md) is the model file's container with magic "MIRICKPT",
/// K = rounds completed (0 after the noise fill), and between the bounds and the networks:
///
///     input fingerprint   u64 (TableFingerprint of the input table)
///     rows n              u32
///     threads             u32
///     generator           4 u64 xoshiro256** words, u8 spare flag, f64 spare normal
///     current table       m·n·d f32, standardized, row-major: the m = configuration.chains(forRows: n)
///                         imputations a run evolves side by side, its own first (m = 1 without chainRows)
package enum CheckpointFile {
    /// The file a checkpoint folder holds.
    package static let fileName = "checkpoint.mirickpt"

    /// The checkpoint file's path in `folder`.
    package static func path(inFolder folder: String) -> String {
        folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
    }

    package static func encode(_ checkpoint: Checkpoint) -> [UInt8] {
        let state = checkpoint.state
        let json = ModelSections.configurationJSON(state.configuration)
        let weights = state.networks.reduce(0) { $0 + 4 * $1.parameterCount + 64 }
        var w = ModelFormat.begin(.checkpoint, columns: state.x.cols, networks: state.completedRounds,
                                  configurationLength: json.count,
                                  capacity: 1024 + json.count + 40 * state.x.cols + 4 * state.x.count + weights)
        w.raw(json)
        ModelSections.write(names: checkpoint.columnNames, to: &w)
        ModelSections.write(scaling: state.scaling, to: &w)
        ModelSections.write(bounds: state.bounds, to: &w)
        w.u64(state.inputFingerprint)
        w.u32(state.tableRows)
        w.u32(checkpoint.threads)
        for word in state.random.words { w.u64(word) }
        w.u8(state.random.spareNormal == nil ? 0 : 1)
        w.f64(state.random.spareNormal ?? 0)
        w.f32s(state.x.storage)
        for (k, network) in state.networks.enumerated() {
            ModelSections.write(network: network, diagnostics: state.rounds[k], to: &w)
        }
        return ModelFormat.seal(w)
    }

    /// The checkpoint in `bytes`; throws `ModelFileError` as `ModelFile.decode` does.
    package static func decode(_ bytes: [UInt8], source: String) throws -> Checkpoint {
        do {
            let (header, body) = try ModelFormat.open(bytes, as: .checkpoint)
            var r = body
            try ModelSections.checkColumns(header.columns, body: r)
            let configuration = try ModelSections.readConfiguration(&r, length: header.configurationLength, columns: header.columns)
            if header.networks > configuration.rounds {
                throw ModelFileError.Kind.invalidField(
                    field: "networks", reason: "\(header.networks) rounds completed, but the configuration has only \(configuration.rounds)")
            }
            let d = header.columns
            let names = try ModelSections.readNames(&r, columns: d)
            let scaling = try ModelSections.readScaling(&r, columns: d)
            let bounds = try ModelSections.readBounds(&r, columns: d, configuration: configuration)
            let fingerprint = try r.u64("input fingerprint")
            let n = Int(try r.u32("rows"))
            if n < 2 { throw ModelFileError.Kind.invalidField(field: "rows", reason: "\(n); a MIRI run has at least 2 rows") }
            let threads = Int(try r.u32("threads"))
            if threads < 1 { throw ModelFileError.Kind.invalidField(field: "threads", reason: "0; a run has at least one thread") }
            let words = try (0..<4).map { _ in try r.u64("generator state") }
            if words.allSatisfy({ $0 == 0 }) {
                throw ModelFileError.Kind.invalidField(field: "generator state", reason: "all zero, which xoshiro256** never reaches")
            }
            let spareFlag = try r.u8("generator spare flag")
            if spareFlag > 1 { throw ModelFileError.Kind.invalidField(field: "generator spare flag", reason: "\(spareFlag); expected 0 or 1") }
            let spare = try r.f64("generator spare normal")
            if spareFlag == 1 && !spare.isFinite {
                throw ModelFileError.Kind.invalidField(field: "generator spare normal", reason: "\(spare) is not finite")
            }
            let copies = configuration.chains(forRows: n)
            let (cells, overflow) = (n * copies).multipliedReportingOverflow(by: d)
            if overflow { throw ModelFileError.Kind.invalidField(field: "rows", reason: "\(n) rows of \(d) columns is too large") }
            let values = try r.f32s(cells, "current table")
            if let k = values.firstIndex(where: { !$0.isFinite }) {
                throw ModelFileError.Kind.invalidField(field: "current table", reason: "row \(k / d + 1), column \(k % d + 1) is \(values[k]), not finite")
            }
            try ModelSections.checkNetworksFit(header.networks, columns: d, configuration: configuration, in: r)
            var networks: [MLP] = [], rounds: [RoundDiagnostics] = []
            for k in stride(from: 1, through: header.networks, by: 1) {
                let (network, diagnostics) = try ModelSections.readNetwork(&r, round: k, columns: d, configuration: configuration)
                networks.append(network)
                rounds.append(diagnostics)
            }
            try ModelSections.checkEnd(r, after: header.networks == 0 ? "current table" : "last network")
            let state = MIRIRunState(configuration: configuration, scaling: scaling, bounds: bounds, inputFingerprint: fingerprint,
                                     x: Matrix(rows: n * copies, cols: d, storage: values),
                                     random: RandomSource.State(words: words, spareNormal: spareFlag == 1 ? spare : nil),
                                     networks: networks, rounds: rounds, tableRows: n)
            return Checkpoint(state: state, columnNames: names, threads: threads)
        } catch let kind as ModelFileError.Kind {
            throw ModelFileError(kind, source: source)
        }
    }

    /// Writes `checkpoint` into `folder` (created if missing) atomically, replacing the last one.
    package static func save(_ checkpoint: Checkpoint, inFolder folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: folder, reason: "cannot create the checkpoint folder: \((error as NSError).localizedDescription)")
        }
        try FileBytes.write(encode(checkpoint), to: path(inFolder: folder))
    }

    /// The checkpoint in `folder`, or nil when the folder holds none.
    package static func load(fromFolder folder: String) throws -> Checkpoint? {
        let file = path(inFolder: folder)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return try decode(FileBytes.read(path: file), source: file)
    }
}
