import ArgumentParser

/// `--checkpoint DIR` and `--resume`, shared by `miri impute` and `miri fit`.
///
/// With `--checkpoint DIR` the run's state is saved to `DIR/checkpoint.mirickpt` (created if
/// missing) after the noise fill and after every round, each time atomically, so a crash or a
/// kill leaves the last finished round on disk. `--resume` continues from there and ends with
/// the same output as an uninterrupted run with the same seed and --threads. The file is
/// removed once the run's output is written.
struct CheckpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp("MIRI: save the run's state in this folder after every round, to --resume after a crash or Ctrl-C.",
                               valueName: "DIR"))
    var checkpoint: String?

    @Flag(help: "MIRI: continue the run saved in --checkpoint DIR from its last finished round.")
    var resume = false

    /// Stops with status 130 right after saving round K, as Ctrl-C between rounds would (for tests).
    @Option(help: .hidden)
    var stopAfterRound: Int?

    func validate() throws {
        if checkpoint == nil && resume { throw ValidationError("--resume needs --checkpoint DIR (the folder of the interrupted run)") }
        if checkpoint == nil && stopAfterRound != nil { throw ValidationError("--stop-after-round needs --checkpoint DIR") }
        if let stopAfterRound, stopAfterRound < 0 { throw ValidationError("--stop-after-round must be 0 or more") }
    }

    /// Whether any checkpoint option was given (they apply to MIRI only).
    var given: Bool { checkpoint != nil || resume || stopAfterRound != nil }
}
