import Flow
import Foundation

/// MIRI's settings as a command line gives them: a preset by name, then any field replaced.
///
/// The one place where `miri` and `miri-bench` turn flags into a `MIRIConfiguration`, so both
/// read a flag the same way:
/// - `epochs` wins over the preset's step budget (`stepsPerRound` is cleared), unless
///   `stepsPerRound` is given too;
/// - `chainRows` 0 and `weightAverageDecay` 0 switch those features off;
/// - widths are written "128,128" and are used exactly as given (no widening with the table).
/// `configuration()` returns the result, or throws `MIRIError.invalidConfiguration` naming the
/// first bad value.
public struct MIRIConfigurationBuilder: Sendable, Equatable {
    /// The preset to start from: "calibrated" (the default), "fast" or "paper".
    public var preset = "calibrated"
    /// Each non-nil field replaces the preset's.
    public var seed: UInt64?
    /// Rounds K.
    public var rounds: Int?
    /// Epochs a round; clears the preset's step budget unless `stepsPerRound` is also set.
    public var epochs: Int?
    /// Optimizer steps a round (sets the epochs from the table's size).
    public var stepsPerRound: Int?
    /// Rows per minibatch.
    public var batchSize: Int?
    /// Steps of the ODE.
    public var odeSteps: Int?
    /// The ODE's solver.
    public var odeSolver: ODESolver?
    /// Hidden widths of the velocity network, used exactly as given (the preset's `widensWithTable` is switched off).
    public var hiddenWidths: [Int]?
    /// Adam's learning rate.
    public var learningRate: Float?
    /// Warm-started rounds.
    public var warmStart: Bool?
    /// Rows of imputations evolved side by side; 0: one imputation.
    public var chainRows: Int?
    /// Decay of the weight average; 0: the last weights.
    public var weightAverageDecay: Float?
    /// Extra loss weight of observed partners; 0: none.
    public var observedPartnerWeight: Float?
    /// Models kept for drawing (1: the fit on the whole table alone).
    public var members: Int?

    /// Nothing replaced: the `calibrated` preset.
    public init() {}

    /// The preset names `configuration()` knows.
    public static let presets = ["calibrated", "fast", "paper"]

    /// The preset with every given field applied, validated.
    public func configuration() throws -> MIRIConfiguration {
        var c: MIRIConfiguration
        switch preset {
        case "fast": c = .fast
        case "paper": c = .paper
        case "calibrated": c = .calibrated
        default: throw MIRIError.invalidConfiguration("unknown preset '\(preset)' (calibrated, fast or paper)")
        }
        if let seed { c.seed = seed }
        if let rounds { c.rounds = rounds }
        if let epochs { c.epochs = epochs; c.stepsPerRound = nil }   // given epochs win over a step budget
        if let stepsPerRound { c.stepsPerRound = stepsPerRound }
        if let batchSize { c.batchSize = batchSize }
        if let odeSteps { c.odeSteps = odeSteps }
        if let odeSolver { c.odeSolver = odeSolver }
        if let hiddenWidths { c.hiddenWidths = hiddenWidths; c.widensWithTable = false }
        if let learningRate { c.learningRate = learningRate }
        if let warmStart { c.warmStart = warmStart }
        if let chainRows {
            if chainRows < 0 { throw MIRIError.invalidConfiguration("chain rows must be 0 (one imputation) or more (got \(chainRows))") }
            c.chainRows = chainRows > 0 ? chainRows : nil
        }
        // 0 switches these off; any other value, in range or not, is `validationError`'s to judge.
        if let weightAverageDecay { c.weightAverageDecay = weightAverageDecay == 0 ? nil : weightAverageDecay }
        if let observedPartnerWeight { c.observedPartnerWeight = observedPartnerWeight == 0 ? nil : observedPartnerWeight }
        if let members { c.members = members }
        if let message = c.validationError() { throw MIRIError.invalidConfiguration(message) }
        return c
    }

    /// Hidden widths written "128,128" (blanks around an entry allowed), or nil unless every
    /// entry is a positive integer.
    public static func widths(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let widths = parts.map { Int(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return widths.map { $0! }
    }
}
