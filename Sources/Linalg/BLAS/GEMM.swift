import CBLAS
import Dispatch

/// Whether an operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    /// The operand as stored.
    case none
    /// The operand's transpose.
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// `C ← alpha · op(A) · op(B) + beta · C` in single precision, row-major (OpenBLAS `cblas_sgemm`).
///
/// Shapes: op(A) is m×k, op(B) is k×n, C is m×n. `lda`, `ldb`, `ldc` are the
/// row strides of A, B, C as stored. This is the one place the package calls sgemm; the
/// current `ComputeContext` says how it is threaded.
package func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    sgemmCall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func sgemmCall(
    _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, context: ComputeContext = ComputeContext.current
) {
    BLASRuntime.ensureKernels()
    PhaseClock.measure(.gemm) {
        BLASThreads.set(context.productSplitting == .package ? 1 : context.threads)
        let blocks = context.productSplitting == .package
            ? GEMMThreading.columnBlocks(m: m, n: n, k: k, workers: context.threads) : 1
        if blocks <= 1 {
            cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            return
        }
        // Columns [j0, j1) of C need columns [j0, j1) of op(B): B + j0 as stored, or rows j0… of Bᵀ.
        let width = ((n + blocks - 1) / blocks + 15) / 16 * 16
        let pointers = UncheckedSendable((a, b, c))
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let (a, b, c) = pointers.value
            let j0 = min(block * width, n), j1 = min(j0 + width, n)
            guard j0 < j1 else { return }
            let bBlock = transB == .none ? b + j0 : b + j0 * ldb
            cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(j1 - j0), Int32(k),
                        alpha, a, Int32(lda), bBlock, Int32(ldb), beta, c + j0, Int32(ldc))
        }
    }
}

/// How one product uses the cores.
///
/// By default the package splits C's columns over the context's threads and runs each block as a
/// single-threaded sgemm (OpenBLAS itself set to one thread; `ComputeContext.productSplitting`). The
/// reason is what happens between products: OpenBLAS's idle worker threads busy-wait for new work,
/// and measured here they slowed the package's own parallel loops that follow a product (Adam,
/// SiLU) by 2–4× (`miri-bench throughput`'s breakdown). With the split, nothing spins between calls.
package enum GEMMThreading {
    /// Column blocks for an m×n×k product: one per worker, but none narrower than 64 columns and
    /// no split below 32 MFLOP, where the hand-off costs more than it saves (measured: the fast
    /// preset's 128×128×128 products split in two made its training step 1.65× slower than one thread).
    static func columnBlocks(m: Int, n: Int, k: Int, workers: Int) -> Int {
        guard workers > 1, 2 * m * n * k >= 32_000_000 else { return 1 }
        return max(1, min(workers, n / 64))
    }
}

extension Matrix {
    /// `alpha · op(a) · op(b) + beta · c`, as a new matrix when `c` is nil.
    public static func product(
        _ a: Matrix, _ transA: Transpose = .none,
        _ b: Matrix, _ transB: Transpose = .none,
        alpha: Float = 1
    ) -> Matrix {
        let (m, k, n) = productShape(a, transA, b, transB)
        var c = Matrix(rows: m, cols: n)
        if k == 0 { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    gemm(transA, transB, m: m, n: n, k: k, alpha: alpha,
                         a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                         beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }

    /// Rows, inner dimension and columns of `op(a) · op(b)`; the inner dimensions must agree.
    static func productShape(_ a: Matrix, _ transA: Transpose, _ b: Matrix, _ transB: Transpose) -> (m: Int, k: Int, n: Int) {
        let m = transA == .none ? a.rows : a.cols
        let k = transA == .none ? a.cols : a.rows
        let kb = transB == .none ? b.rows : b.cols
        let n = transB == .none ? b.cols : b.rows
        precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
        return (m, k, n)
    }

    /// The same product by a plain triple loop, in Double: the reference `gemm` is tested against.
    package static func naiveProduct(
        _ a: Matrix, _ transA: Transpose = .none,
        _ b: Matrix, _ transB: Transpose = .none,
        alpha: Float = 1
    ) -> Matrix {
        let (m, k, n) = productShape(a, transA, b, transB)
        var c = Matrix(rows: m, cols: n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = transA == .none ? a[i, p] : a[p, i]
                    let y = transB == .none ? b[p, j] : b[j, p]
                    s += Double(x) * Double(y)
                }
                c[i, j] = Float(Double(alpha) * s)
            }
        }
        return c
    }
}
