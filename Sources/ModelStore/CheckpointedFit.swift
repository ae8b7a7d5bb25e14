import Flow
import Foundation
import Imputation
import Linalg

/// A MIRI fit run the way a user can stop and continue it: settings a model or checkpoint file
/// can hold, the state saved after the noise fill and after every round, a run resumed from its
/// checkpoint, and the checkpoint removed once the run's output is safe.
///
/// Checkpoints go to `CheckpointFile.path(inFolder:)`, atomically; resuming runs the remaining
/// rounds, which gives the uninterrupted run's output bit for bit (same seed and threads: the
/// state holds the table, the generator and the networks, and the rounds are deterministic). A
/// stop drops the round in progress (its minibatch finishes first) and keeps the last finished
/// one on disk. A tool passes the paths and shows the progress (`settings.hooks`).
package struct CheckpointedFit {
    /// The seed, threads, MIRI configuration, hooks and `shouldStop` of the run.
    package var settings: ImputationMethod.Settings
    /// Where the state is saved after every round (nil: no checkpoints).
    package var checkpointFolder: String?
    /// Continue the run saved in `checkpointFolder` instead of refusing to overwrite it.
    package var resume = false
    /// Stop right after saving this round, as a stop between rounds would (for tests).
    package var stopAfterRound: Int?
    /// The input's column names, stored in checkpoints and checked on resume.
    package var columnNames: [String]?
    /// Whether the fitted model is saved: its settings must then be ones a model file may hold.
    package var savesModel = false

    /// A run without checkpoints; set the fields above for more.
    package init(settings: ImputationMethod.Settings) {
        self.settings = settings
    }

    /// The configuration the run trains with (the shared seed applied).
    package var configuration: MIRIConfiguration { settings.miriConfiguration }

    /// The checks before any training: storable settings when a file will hold them, and where
    /// the run starts (`CheckpointResume`; `note` hears what the user should be told). Returns
    /// the state to continue from, or nil for a fresh run.
    package func start(_ values: Matrix, note: (String) -> Void) throws -> MIRIRunState? {
        if savesModel || checkpointFolder != nil { try checkStorable(columns: values.cols) }
        guard let folder = checkpointFolder else { return nil }
        let start = try CheckpointResume(folder: folder, resume: resume, values: values, configuration: configuration,
                                         columnNames: columnNames, threads: settings.compute.threads)
        start.notes.forEach(note)
        return start.state
    }

    /// Fits on `values` (NaN = missing) and imputes them, from `saved` (what `start` returned).
    /// A stop (`settings.shouldStop`, `stopAfterRound`) throws `Stopped` with the last round on disk.
    package func run(_ values: Matrix, resumingFrom saved: MIRIRunState?) throws -> (model: FittedMIRI, imputed: Matrix) {
        let imputer = settings.miriImputer()
        var lastSaved = saved?.completedRounds
        do {
            return try imputer.fitAndImpute(values, resumingFrom: saved, fittingMembers: savesModel,
                                            checkpoint: checkpointFolder.map { folder in
                { state in
                    try CheckpointFile.save(Checkpoint(state: state, columnNames: columnNames, threads: settings.compute.threads),
                                            inFolder: folder)
                    lastSaved = state.completedRounds
                    if let stop = stopAfterRound, state.completedRounds == stop, !state.isFinished {
                        throw ImputationError.cancelled(completedRounds: stop)
                    }
                }
            })
        } catch ImputationError.cancelled {
            throw Stopped(lastSaved: checkpointFolder == nil ? nil : lastSaved)
        }
    }

    /// The fit split over the processes of `communicator`
    /// (`MIRIImputer.fitAndImpute(block:communicator:)`): `block` is this rank's rows. No
    /// checkpoints; settings a model file may not hold are refused first when the model is saved.
    package func run(block: Matrix, communicator: Communicator) throws -> (model: FittedMIRI, imputed: Matrix) {
        if savesModel { try checkStorable(columns: block.cols) }
        return try settings.miriImputer().fitAndImpute(block: block, communicator: communicator)
    }

    /// Refuses, before any training, settings that a model or checkpoint file may not hold
    /// (`ConfigurationLimits`): the file could never be read back.
    package func checkStorable(columns: Int) throws {
        if let message = ConfigurationLimits.violation(in: configuration, columns: columns) { throw NotStorable(reason: message) }
    }

    /// Removes the checkpoint once the run's output is safely written.
    package func finished() {
        guard let folder = checkpointFolder else { return }
        try? FileManager.default.removeItem(atPath: CheckpointFile.path(inFolder: folder))
    }

    /// The run stopped; `lastSaved` is the last round whose state is on disk (nil: none).
    package struct Stopped: Error {
        package var lastSaved: Int?
    }

    /// Settings a model or checkpoint file may not hold, and why.
    package struct NotStorable: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { "these MIRI settings cannot be saved in a model or checkpoint file: \(reason)" }
    }
}
