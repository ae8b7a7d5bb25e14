import Flow
import Foundation

/// How this process takes part in a run: alone, or as one rank of an MPI job.
///
/// The MPI build (`swift build --traits MPI`) joins the job that `mpirun` started, found by the
/// variables the launcher sets; every other start is a single process. The default build cannot
/// join one, and `start` says so rather than letting P copies each do the whole work.
package enum Cluster {
    /// Whether this build can take part in an MPI job.
    package static var isAvailable: Bool {
        #if MPI
        return true
        #else
        return false
        #endif
    }

    /// The job size a launcher announced (Open MPI's `OMPI_COMM_WORLD_SIZE`, else PMI's
    /// `PMI_SIZE`), nil when no launcher started this process.
    package static func launcherSize(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            if let text = environment[name], let n = Int(text) { return n }
        }
        return nil
    }

    /// This process's rank as the launcher announced it (`OMPI_COMM_WORLD_RANK`, `PMI_RANK`), nil without one.
    package static func launcherRank(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        for name in ["OMPI_COMM_WORLD_RANK", "PMI_RANK"] {
            if let text = environment[name], let n = Int(text) { return n }
        }
        return nil
    }

    /// This process's communicator: MPI's world in the MPI build under a launcher, else a
    /// single process. Throws `NotBuiltForMPI` under a launcher with more than one process in
    /// a build without MPI.
    package static func start() throws -> Communicator {
        guard let size = launcherSize() else { return SingleProcess() }
        #if MPI
        return MPICommunicator.world()
        #else
        if size > 1 { throw NotBuiltForMPI(size: size) }
        return SingleProcess()
        #endif
    }

    /// Ends the run on every rank with `status` (MPI_Abort) when a failure cannot be agreed on;
    /// a single process just exits.
    package static func abort(_ communicator: Communicator, status: Int32) -> Never {
        #if MPI
        if let mpi = communicator as? MPICommunicator { mpi.abort(status: status) }
        #endif
        exit(status)
    }
}

extension Cluster {
    /// "N all-reduces, X MB, Y s" on this rank so far, or nil for a single process.
    package static func reduceSummary(_ communicator: Communicator) -> String? {
        #if MPI
        if let mpi = communicator as? MPICommunicator {
            return "\(mpi.reduceCalls) all-reduces, \(String(format: "%.1f", Double(mpi.reduceBytes) / 1e6)) MB, "
                + "\(String(format: "%.2f", mpi.reduceSeconds)) s"
        }
        #endif
        return nil
    }
}

/// Started by mpirun with several processes, but built without MPI: each would do the whole job.
package struct NotBuiltForMPI: Error, CustomStringConvertible {
    /// The job size the launcher announced.
    package var size: Int
    package var description: String {
        "started by mpirun as one of \(size) processes, but this miri was built without MPI, so each process would do the whole job: "
            + "build it with `swift build -c release --traits MPI` (after scripts/setup.sh --mpi), or run it without mpirun"
    }
}
