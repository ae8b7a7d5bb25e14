import ArgumentParser
import Flow
import Imputation
import Foundation

/// The imputers `--method` chooses from: the library's methods.
typealias Method = ImputationMethod
extension ImputationMethod: ExpressibleByArgument {}

/// The imputers `miri fit --method` can fit and save for `miri apply`.
enum FitMethod: String, CaseIterable, ExpressibleByArgument {
    case miri, mice
}

/// The MIRI presets `--preset` chooses from; flags override single fields.
enum Preset: String, CaseIterable, ExpressibleByArgument {
    case paper, fast, calibrated

    var configuration: MIRIConfiguration {
        switch self {
        case .paper: return .paper
        case .fast: return .fast
        case .calibrated: return .calibrated
        }
    }
}

/// `--hidden 1001,1001,1001`: the hidden layer widths of MIRI's velocity network.
struct HiddenWidths: ExpressibleByArgument {
    var widths: [Int]

    init?(argument: String) {
        guard let widths = MIRIConfigurationBuilder.widths(argument) else { return nil }
        self.widths = widths
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
