import ArgumentParser
import Flow
import Foundation

/// The imputers `--method` chooses from.
enum Method: String, CaseIterable, ExpressibleByArgument {
    case miri, mean, knn, mice
}

/// The imputers `miri fit --method` can fit and save for `miri apply`.
enum FitMethod: String, CaseIterable, ExpressibleByArgument {
    case miri, mice
}

/// The MIRI presets `--preset` chooses from; flags override single fields.
enum Preset: String, CaseIterable, ExpressibleByArgument {
    case paper, fast

    var configuration: MIRIConfiguration {
        switch self {
        case .paper: return .paper
        case .fast: return .fast
        }
    }
}

/// `--hidden 1001,1001,1001`: the hidden layer widths of MIRI's velocity network.
struct HiddenWidths: ExpressibleByArgument {
    var widths: [Int]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let widths = parts.map { Int(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        self.widths = widths.map { $0! }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
