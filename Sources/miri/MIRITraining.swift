import Flow
import Foundation
import Imputation
import Linalg
import ModelStore

/// A MIRI fit as the tool runs it (for `impute --method miri` and `fit`): the progress display
/// on standard error, Ctrl-C stopping at the next minibatch, and checkpoints.
///
/// Checkpoints (`--checkpoint DIR`): the state after the noise fill and after every round goes
/// to `DIR/checkpoint.mirickpt`, atomically; `--resume` loads it and runs the remaining rounds,
/// which gives the uninterrupted run's output bit for bit (same seed and threads: the state holds
/// the table, the generator and the networks, and the rounds are deterministic). Ctrl-C drops
/// the round in progress (its minibatch finishes first) and keeps the last finished one on disk.
struct MIRITraining {
    /// The seed, threads and MIRI configuration of the run.
    var settings: ImputationMethod.Settings
    var configuration: MIRIConfiguration { settings.miriConfiguration }
    /// Draw the live progress line (standard error is a terminal, or `--progress`).
    var live: Bool
    var quiet: Bool
    var checkpoints = CheckpointOptions()
    /// The input's column names, stored in checkpoints and checked on resume.
    var columnNames: [String]?
    /// Whether the fitted model is saved (`fit`): its settings must then be ones a model file may hold.
    var savesModel = false
    /// Threads of the run (`--threads`).
    var compute: ComputeContext { settings.compute }
    /// The processes of an mpirun job the fit is split over (one by default).
    var ranks = Ranks(communicator: SingleProcess())

    /// Fits on `values` (NaN = missing) and imputes them.
    func run(_ values: Matrix, interruption: Interruption) throws -> (model: FittedMIRI, imputed: Matrix) {
        if savesModel || checkpoints.checkpoint != nil { try checkStorable(columns: values.cols) }
        let saved = try resumedState(for: values)
        let first = (saved?.completedRounds ?? 0) + 1
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: values.rows),
                                      live: live, quiet: quiet, firstRound: first)
        defer { display.finish() }
        var run = settings
        run.hooks = display.hooks(shouldStop: nil)
        run.shouldStop = { interruption.requested }
        let imputer = run.miriImputer()
        var lastSaved = saved?.completedRounds
        do {
            return try interruption.cooperating {
                try imputer.fitAndImpute(values, resumingFrom: saved, checkpoint: checkpoints.checkpoint.map { folder in
                    { state in
                        try CheckpointFile.save(Checkpoint(state: state, columnNames: columnNames, threads: compute.threads),
                                                inFolder: folder)
                        lastSaved = state.completedRounds
                        if let stop = checkpoints.stopAfterRound, state.completedRounds == stop, !state.isFinished {
                            throw MIRIError.cancelled(completedRounds: stop)
                        }
                    }
                })
            }
        } catch MIRIError.cancelled {
            display.finish()
            throw interrupted(lastSaved: lastSaved)
        }
    }

    /// The fit split over the processes of an mpirun job (`MIRIImputer.fitAndImpute(block:communicator:)`):
    /// `block` is this rank's rows of a table of `tableRows`. No checkpoints, the progress shown
    /// by rank 0, Ctrl-C left to mpirun (it stops every rank). Returns the model and the block completed.
    func runParallel(block: Matrix, tableRows: Int) throws -> (model: FittedMIRI, imputed: Matrix) {
        if checkpoints.given {
            throw Failure(message: "--checkpoint and --resume are not available under mpirun with several processes", status: ExitStatus.usage)
        }
        if savesModel { try checkStorable(columns: block.cols) }
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: tableRows),
                                      live: live && ranks.isRoot, quiet: quiet || !ranks.isRoot, firstRound: 1)
        defer { display.finish() }
        var run = settings
        run.hooks = display.hooks(shouldStop: nil)
        let imputer = run.miriImputer()
        return try imputer.fitAndImpute(block: block, communicator: ranks.communicator)
    }

    /// Refuses (status 64), before any training, settings that a model or checkpoint file may
    /// not hold (`ConfigurationLimits`): the file could never be read back.
    func checkStorable(columns: Int) throws {
        guard let message = ConfigurationLimits.violation(in: configuration, columns: columns) else { return }
        throw Failure(message: "these MIRI settings cannot be saved in a model or checkpoint file: \(message)", status: ExitStatus.usage)
    }

    /// With `--resume`, the checkpoint's state after checking it continues this run; without,
    /// nil after checking that no unfinished run would be overwritten (`CheckpointResume`).
    func resumedState(for values: Matrix) throws -> MIRIRunState? {
        guard let folder = checkpoints.checkpoint else { return nil }
        do {
            let start = try CheckpointResume(folder: folder, resume: checkpoints.resume, values: values, configuration: configuration,
                                             columnNames: columnNames, threads: compute.threads)
            start.notes.forEach(note)
            return start.state
        } catch let error as CheckpointResumeError {
            if case .unfinishedRun = error { throw Failure(message: error.description, status: ExitStatus.usage) }
            throw Failure(message: error.description, status: ExitStatus.badInput)
        }
    }

    /// Removes the checkpoint once the run's output is safely written.
    func finished() {
        guard let folder = checkpoints.checkpoint else { return }
        try? FileManager.default.removeItem(atPath: CheckpointFile.path(inFolder: folder))
    }

    /// Exit 130 with what was saved and how to go on.
    func interrupted(lastSaved: Int?) -> Failure {
        guard let folder = checkpoints.checkpoint, let lastSaved else {
            return Failure(message: "interrupted; nothing was written", status: ExitStatus.interrupted)
        }
        let done = lastSaved == 0 ? "the noise fill (round 0)" : "round \(lastSaved) of \(configuration.rounds)"
        return Failure(message: "interrupted; the state after \(done) is saved in \(folder). "
                       + "Resume with: \(Self.resumeCommand())", status: ExitStatus.interrupted)
    }

    /// This process's command line with --resume added (and the hidden test stop removed), quoted for a shell.
    static func resumeCommand() -> String {
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

    func note(_ text: String) {
        if !quiet { Diagnostics.line("miri: \(text)") }
    }
}
