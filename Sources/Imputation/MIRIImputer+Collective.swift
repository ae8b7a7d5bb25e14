import Flow
import Foundation
import Linalg

/// MIRI fitted by P processes at once, each holding a share of the rows (data parallelism).
///
/// What stays one computation: the scaling, bounds and noise fill are those of the whole
/// table (`fitAndImpute(block:communicator:)`: the fill of a row depends on its global index,
/// never on P); every optimizer step all-reduces the gradients, so the ranks hold one network.
/// What each rank does alone: its minibatch share, its partners (among its own rows), and
/// re-imputing its rows.
extension MIRIImputer {
    /// The stream of rank `rank`: rank 0 continues `shared` (the single-process stream); the
    /// others get streams of their own from the seed, so their minibatches and partners differ.
    static func stream(rank: Int, shared: RandomSource.State, seed: UInt64) -> RandomSource {
        rank == 0 ? RandomSource(state: shared) : RandomSource(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(rank)))
    }

    /// Fits on `data` (the whole table, on every rank) with the rows split over `communicator`'s
    /// ranks, and imputes it: rank r takes the r-th of P contiguous blocks and the fit is
    /// `fitAndImpute(block:communicator:)`'s. Returns the model (the same on every rank) and, on
    /// rank 0, the completed table (nil on the others). With one rank: `fitAndImpute(data)`, bit for bit.
    ///
    /// Hooks at P > 1: `epochFinished` runs on every rank; `roundFinished` gets the rank's block
    /// as given (the imputation is spread over the ranks until the end); `noiseFilled` is not
    /// called, and `shouldStop` is not polled, since a rank that stopped alone would leave the
    /// others waiting in a collective (mpirun's own signal handling stops them all).
    package func fitAndImpute(_ data: Matrix, communicator comm: Communicator) throws -> (model: FittedMIRI, imputed: Matrix?) {
        if comm.size == 1 {
            let (model, imputed) = try fitAndImpute(data)
            return (model, imputed)
        }
        let n = data.rows, d = data.cols
        let lo = n * comm.rank / comm.size, hi = n * (comm.rank + 1) / comm.size
        let block = Matrix(rows: hi - lo, cols: d, storage: Array(data.storage[(lo * d)..<(hi * d)]))
        let (model, imputed) = try fitAndImpute(block: block, communicator: comm)
        let parts = comm.gather(imputed.storage.withUnsafeBytes { Array($0) }, root: 0)
        guard comm.rank == 0 else { return (model, nil) }
        let storage = parts.flatMap { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        return (model, Matrix(rows: n, cols: d, storage: storage))
    }
}
