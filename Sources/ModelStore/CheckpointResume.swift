import Foundation
import Imputation
import Linalg

/// Where a MIRI run with checkpoints in `folder` starts: the resume policy.
///
/// Without `resume`, a fresh run, refused when the folder holds an unfinished run's checkpoint
/// (it would be overwritten). With `resume`, the saved state, after checking that it continues
/// this run: the same columns, table, settings and seed (`MIRIRunState.check`). A different
/// thread count is allowed with a note: the rounds' last bits may differ.
package struct CheckpointResume {
    /// The state to continue from (nil: start fresh) and what the caller should tell the user.
    package var state: MIRIRunState?
    package var notes: [String] = []

    package init(folder: String, resume: Bool, values: Matrix, configuration: MIRIConfiguration,
                 columnNames: [String]?, threads: Int) throws {
        let file = CheckpointFile.path(inFolder: folder)
        guard resume else {
            if FileManager.default.fileExists(atPath: file) { throw CheckpointResumeError.unfinishedRun(folder: folder, file: file) }
            return
        }
        guard let checkpoint = try CheckpointFile.load(fromFolder: folder) else {
            throw CheckpointResumeError.nothingToResume(folder: folder, file: file)
        }
        if let saved = checkpoint.columnNames, let columnNames, saved != columnNames {
            throw CheckpointResumeError.columnsDiffer(file: file, saved: saved, current: columnNames)
        }
        try checkpoint.state.check(continues: values, configuration: configuration)
        notes.append("resuming from \(file): \(checkpoint.state.completedRounds) of \(configuration.rounds) rounds done")
        if checkpoint.threads != threads {
            notes.append("the checkpoint was written with \(checkpoint.threads) thread(s), this run uses \(threads): "
                         + "the result may differ in the last bits from an uninterrupted run (--threads \(checkpoint.threads) avoids that)")
        }
        state = checkpoint.state
    }
}

/// Why a run cannot start from its checkpoint folder.
package enum CheckpointResumeError: Error, CustomStringConvertible {
    /// A fresh run would overwrite an unfinished run's checkpoint (a usage error: add `--resume`).
    case unfinishedRun(folder: String, file: String)
    /// `--resume` with no checkpoint in the folder.
    case nothingToResume(folder: String, file: String)
    /// The checkpoint was written for a table with other columns.
    case columnsDiffer(file: String, saved: [String], current: [String])

    package var description: String {
        switch self {
        case let .unfinishedRun(folder, file):
            return "\(folder) holds the checkpoint of an unfinished run (\(file)); add --resume to continue it, "
                + "or remove the file to start over"
        case let .nothingToResume(folder, file):
            return "\(folder): no checkpoint to resume (\(file) does not exist); run without --resume to start"
        case let .columnsDiffer(file, saved, current):
            return "\(file): the checkpoint's columns are \(saved.joined(separator: ", ")); "
                + "this table's are \(current.joined(separator: ", "))"
        }
    }
}
