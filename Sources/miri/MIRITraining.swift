import Flow
import Foundation
import Imputation
import Linalg
import ModelStore

/// A MIRI fit as the tool shows it (for `impute --method miri` and `fit`): the progress display
/// on standard error, Ctrl-C stopping at the next minibatch, and exit statuses. The run itself,
/// with its checkpoints, resume and storable-settings checks, is `CheckpointedFit`'s.
struct MIRITraining {
    /// The seed, threads and MIRI configuration of the run.
    var settings: ImputationMethod.Settings
    var configuration: MIRIConfiguration { settings.miriConfiguration }
    /// `--quiet`, and whether the live progress line is drawn.
    var display: DisplayOptions
    var live: Bool { display.live }
    var quiet: Bool { display.quiet }
    var checkpoints = CheckpointOptions()
    /// The input's column names, stored in checkpoints and checked on resume.
    var columnNames: [String]?
    /// Whether the fitted model is saved (`fit`): its settings must then be ones a model file may hold.
    var savesModel = false
    /// Threads of the run (`--threads`).
    var compute: ComputeContext { settings.compute }
    /// The processes of an mpirun job the fit is split over (one by default).
    var ranks = Ranks(communicator: SingleProcess())

    /// The library's run with this command's paths.
    var fit: CheckpointedFit {
        var fit = CheckpointedFit(settings: settings)
        (fit.checkpointFolder, fit.resume, fit.stopAfterRound) = (checkpoints.checkpoint, checkpoints.resume, checkpoints.stopAfterRound)
        (fit.columnNames, fit.savesModel) = (columnNames, savesModel)
        return fit
    }

    /// Fits on `values` (NaN = missing) and imputes them.
    func run(_ values: Matrix, interruption: Interruption) throws -> (model: FittedMIRI, imputed: Matrix) {
        var fit = self.fit
        let saved = try failures { try fit.start(values, note: note) }
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: values.rows),
                                      live: live, quiet: quiet, firstRound: (saved?.completedRounds ?? 0) + 1)
        defer { display.finish() }
        fit.settings.hooks = display.hooks(shouldStop: nil)
        fit.settings.shouldStop = { interruption.requested }
        do {
            return try interruption.cooperating { try fit.run(values, resumingFrom: saved) }
        } catch let stopped as CheckpointedFit.Stopped {
            display.finish()
            throw interrupted(lastSaved: stopped.lastSaved)
        }
    }

    /// The fit split over the processes of an mpirun job (`MIRIImputer.fitAndImpute(block:communicator:)`):
    /// `block` is this rank's rows of a table of `tableRows`. No checkpoints, the progress shown
    /// by rank 0, Ctrl-C left to mpirun (it stops every rank). Returns the model and the block completed.
    func runParallel(block: Matrix, tableRows: Int) throws -> (model: FittedMIRI, imputed: Matrix) {
        if checkpoints.given {
            throw Failure(message: "--checkpoint and --resume are not available under mpirun with several processes", status: ExitStatus.usage)
        }
        let display = ProgressDisplay(rounds: configuration.rounds, epochs: configuration.epochs(forRows: tableRows),
                                      live: live && ranks.isRoot, quiet: quiet || !ranks.isRoot, firstRound: 1)
        defer { display.finish() }
        var fit = self.fit
        fit.settings.hooks = display.hooks(shouldStop: nil)
        return try failures { try fit.run(block: block, communicator: ranks.communicator) }
    }

    /// The run's refusals as the tool's exit statuses: settings no file may hold and a folder
    /// holding an unfinished run are usage errors (64), a checkpoint that does not continue this
    /// run is bad input (2).
    func failures<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CheckpointedFit.NotStorable {
            throw Failure(message: error.description, status: ExitStatus.usage)
        } catch let error as CheckpointResumeError {
            if case .unfinishedRun = error { throw Failure(message: error.description, status: ExitStatus.usage) }
            throw Failure(message: error.description, status: ExitStatus.badInput)
        }
    }

    /// Removes the checkpoint once the run's output is safely written.
    func finished() { fit.finished() }

    /// Exit 130 with what was saved and how to go on.
    func interrupted(lastSaved: Int?) -> Failure {
        guard let folder = checkpoints.checkpoint, let lastSaved else {
            return Failure(message: "interrupted; nothing was written", status: ExitStatus.interrupted)
        }
        let done = lastSaved == 0 ? "the noise fill (round 0)" : "round \(lastSaved) of \(configuration.rounds)"
        return Failure(message: "interrupted; the state after \(done) is saved in \(folder). "
                       + "Resume with: \(ResumeCommand.line())", status: ExitStatus.interrupted)
    }

    func note(_ text: String) {
        if !quiet { Diagnostics.line("miri: \(text)") }
    }
}
