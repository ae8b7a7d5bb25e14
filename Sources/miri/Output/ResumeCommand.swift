import Foundation

/// The command that continues an interrupted run: this process's own, with `--resume`.
enum ResumeCommand {
    /// This process's command line with --resume added (and the hidden test stop removed), quoted for a shell.
    static func line() -> String {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let i = arguments.firstIndex(of: "--stop-after-round"), i + 1 < arguments.count { arguments.removeSubrange(i...(i + 1)) }
        arguments.removeAll { $0.hasPrefix("--stop-after-round=") }
        if !arguments.contains("--resume") { arguments.append("--resume") }
        return (["miri"] + arguments).map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:+@%".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
