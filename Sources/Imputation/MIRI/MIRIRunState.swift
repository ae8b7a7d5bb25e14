import Flow
import Linalg

/// Where a MIRI run stands after `completedRounds` rounds: everything needed to finish it
/// exactly as an uninterrupted run with the same seed and thread count would.
///
/// A run is a pure function of (table, configuration) and the stream of one `RandomSource`.
/// Between rounds its whole state is the current standardized table `x`, the generator's
/// state and the networks trained so far; the scaling and bounds are functions of the table
/// but are kept so a resumed run does not depend on recomputing them. Round 0 is the state
/// right after the noise fill (SPEC step 1).
///
/// `MIRIImputer.fitAndImpute(_:resumingFrom:checkpoint:)` hands one to its checkpoint callback
/// after the noise fill and after every round, and continues from one; `CheckpointFile` (module
/// ModelStore) writes and reads them.
package struct MIRIRunState: Sendable {
    package var configuration: MIRIConfiguration
    package var scaling: Standardization
    package var bounds: ColumnBounds?
    /// `TableFingerprint.of(input)`: the table this run imputes.
    package var inputFingerprint: UInt64
    /// The table, standardized; missing entries hold the imputations of the last completed round.
    /// With `configuration.chainRows` set, several imputations of the table stacked, the
    /// result's own first (see `imputation`).
    package var x: Matrix
    /// Rows of the table (`x` stacks `configuration.chains(forRows: tableRows)` copies of it).
    package let tableRows: Int
    /// The generator, positioned where round `completedRounds + 1` starts drawing.
    package var random: RandomSource.State
    /// The networks of rounds 1 … `completedRounds`.
    package var networks: [MLP]
    /// What those rounds did.
    package var rounds: [RoundDiagnostics]

    package init(configuration: MIRIConfiguration, scaling: Standardization, bounds: ColumnBounds?,
                inputFingerprint: UInt64, x: Matrix, random: RandomSource.State,
                networks: [MLP] = [], rounds: [RoundDiagnostics] = [], tableRows: Int? = nil) {
        self.configuration = configuration
        self.scaling = scaling
        self.bounds = bounds
        self.inputFingerprint = inputFingerprint
        self.x = x
        self.tableRows = tableRows ?? x.rows
        precondition(self.tableRows > 0 && x.rows == self.tableRows * configuration.chains(forRows: self.tableRows),
                     "x must stack the configuration's copies of the table")
        self.random = random
        self.networks = networks
        self.rounds = rounds
    }

    package var completedRounds: Int { networks.count }


    /// The run's own imputation: the first of the stacked ones.
    package var imputation: Matrix { x.rows == tableRows ? x : x.rows(0..<tableRows) }

    /// Whether every round has run.
    package var isFinished: Bool { completedRounds >= configuration.rounds }

    /// Throws `ResumeMismatch` unless this state continues a run of `configuration` on `data`.
    package func check(continues data: Matrix, configuration: MIRIConfiguration) throws {
        let differences = Self.differences(self.configuration, configuration)
        if !differences.isEmpty { throw ResumeMismatch.configuration(differences) }
        if tableRows != data.rows || x.cols != data.cols {
            throw ResumeMismatch.shape(saved: (tableRows, x.cols), given: (data.rows, data.cols))
        }
        if inputFingerprint != TableFingerprint.of(data) { throw ResumeMismatch.table }
        if completedRounds > configuration.rounds || rounds.count != completedRounds {
            throw ResumeMismatch.rounds(saved: completedRounds, configured: configuration.rounds)
        }
    }

    /// A field's value as a user would write it (`600`, `nil`, not `Optional(600)`).
    private static func show(_ value: Any) -> String {
        let text = String(describing: value)
        if text.hasPrefix("Optional("), text.hasSuffix(")") { return String(text.dropFirst(9).dropLast()) }
        return text
    }

    /// The fields where two configurations differ, as "name: saved in the checkpoint, given now".
    static func differences(_ saved: MIRIConfiguration, _ given: MIRIConfiguration) -> [String] {
        zip(Mirror(reflecting: saved).children, Mirror(reflecting: given).children).compactMap { a, b in
            let old = show(a.value), new = show(b.value)
            return old == new ? nil : "\(a.label ?? "?"): \(old) in the checkpoint, \(new) now"
        }
    }
}

/// A checkpoint that does not continue the run asked for.
package enum ResumeMismatch: Error, CustomStringConvertible, Equatable {
    /// The settings differ; each entry names a field and both values.
    case configuration([String])
    case shape(saved: (Int, Int), given: (Int, Int))
    /// Same shape, other values or another missing pattern.
    case table
    case rounds(saved: Int, configured: Int)

    package var description: String {
        switch self {
        case let .configuration(fields):
            return "the checkpoint was made with other settings (\(fields.joined(separator: "; "))); "
                + "resume with the options of the interrupted run"
        case let .shape(saved, given):
            return "the checkpoint is of a \(saved.0) x \(saved.1) table; this one is \(given.0) x \(given.1)"
        case .table:
            return "the checkpoint was made from a different table (same shape, other values or missing cells)"
        case let .rounds(saved, configured):
            return "the checkpoint holds \(saved) rounds, more than the \(configured) configured"
        }
    }

    package static func == (a: ResumeMismatch, b: ResumeMismatch) -> Bool {
        switch (a, b) {
        case let (.configuration(x), .configuration(y)): return x == y
        case let (.shape(s1, g1), .shape(s2, g2)): return s1 == s2 && g1 == g2
        case (.table, .table): return true
        case let (.rounds(s1, c1), .rounds(s2, c2)): return s1 == s2 && c1 == c2
        default: return false
        }
    }
}
