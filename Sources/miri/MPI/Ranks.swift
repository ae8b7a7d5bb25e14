import Cluster
import Flow
import Imputation
import Foundation
import MIRI
import TableIO

/// This process's place in an `mpirun` job, as `fit`, `apply` and `impute` use it: which rank
/// it is, and how a failure on one rank becomes every rank's.
///
/// A command runs in phases; each phase is `agreed`: every rank runs it, then all learn
/// whether any failed, and if one did all throw the lowest failing rank's `Failure`. Rank 0
/// prints it and every rank exits with its status, so the job stops with one message and no
/// rank waits in a collective the others left. An error outside a phase ends the job with MPI_Abort.
struct Ranks {
    let communicator: Communicator
    var rank: Int { communicator.rank }
    var size: Int { communicator.size }
    var isRoot: Bool { rank == 0 }
    var isParallel: Bool { size > 1 }

    /// This process's ranks; under mpirun without the MPI build, exits with status 64 and why.
    static func start() -> Ranks {
        do {
            return Ranks(communicator: try Cluster.start())
        } catch {
            // Every process of the job gets here; the first says why.
            if (Cluster.launcherRank() ?? 0) == 0 { Diagnostics.line("miri: error: \(error)") }
            Foundation.exit(ExitStatus.usage)
        }
    }

    /// A failure every rank agreed on.
    struct Agreed: Error {
        var failure: Failure
    }

    /// Runs `body` on every rank; throws `Agreed` on every rank when any rank's `body` threw.
    func agreed<T>(source: String, table: CSVTable? = nil, _ body: () throws -> T) throws -> T {
        var result: T?
        var failure: Failure?
        do {
            result = try body()
        } catch let agreed as Agreed {
            throw agreed               // agreed inside `body`: every rank threw it there
        } catch {
            failure = Failure(error, source: source, table: table)
        }
        guard isParallel else {
            if let failure { throw failure }
            return result!
        }
        let encoded = failure.map { f in withUnsafeBytes(of: f.status) { Array($0) } + Array(f.message.utf8) }
        if let bytes = communicator.agree(failure: encoded) {
            let status = bytes.prefix(4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            throw Agreed(failure: Failure(message: String(decoding: bytes.dropFirst(4), as: UTF8.self), status: status))
        }
        return result!
    }

    /// Ends the command after `error`: an agreed failure is printed by rank 0 and every rank
    /// exits with its status; any other error, on a parallel run, aborts the whole job.
    func exit(_ error: Error, source: String, table: CSVTable? = nil) -> Never {
        if let agreed = error as? Agreed {
            if isRoot { Diagnostics.line("miri: error: \(agreed.failure.message)") }
            Foundation.exit(agreed.failure.status)
        }
        let failure = Failure(error, source: source, table: table)
        guard isParallel else { failure.exit() }
        Diagnostics.line("miri: error: (rank \(rank) of \(size)) \(failure.message)")
        Cluster.abort(communicator, status: failure.status)
    }

    /// `agreed` for the library's collective steps (`FailureAgreement`).
    struct Agreement: FailureAgreement {
        let ranks: Ranks
        let source: String
        func agreed<T>(_ body: () throws -> T) throws -> T { try ranks.agreed(source: source, body) }
    }

    /// `RankParts.stage` with this job's failure agreement.
    func stageParts(_ rows: [UInt8], for path: String?, source: String) throws -> RankParts.Staged {
        try RankParts.stage(rows, for: path, communicator: communicator, agreement: Agreement(ranks: self, source: source))
    }

    /// Refuses what `fit` and `impute` cannot do on several processes (status 64): a method
    /// other than MIRI, or the table on standard input (every process reads the file).
    func checkSupported(command: String, method: String, input: String) throws {
        if method != "miri" {
            throw Failure(message: "under mpirun with several processes `miri \(command)` runs MIRI only (not --method \(method))",
                          status: ExitStatus.usage)
        }
        if input == "-" {
            throw Failure(message: "under mpirun with several processes the table must be a file (each process reads it), not standard input",
                          status: ExitStatus.usage)
        }
    }

    /// Refuses a table with fewer rows than processes (status 64).
    func checkRows(_ rows: Int, source: String) throws {
        if isParallel && rows < size {
            throw Failure(message: "\(source) has \(rows) row(s), fewer than the \(size) processes of this mpirun job; "
                          + "run with -np \(max(1, rows)) at most", status: ExitStatus.usage)
        }
    }
}
