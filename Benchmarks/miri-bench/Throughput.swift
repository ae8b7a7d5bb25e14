import ArgumentParser
import Dispatch
import Flow
import Foundation
import Imputation
import Linalg

/// `miri-bench throughput`: sgemm, the full training step and the ODE sampler for the paper network
/// and the default preset's, each as GFLOP/s and as a ratio to sgemm measured in the same run, and
/// `apply`'s rows per second on a table of protein's shape; the first lines say which CPU path ran.
struct Throughput: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "sgemm, training-step, ODE and apply throughput of the paper network (3×1001 SiLU) and the default preset's (2×128).",
        discussion: """
            Without --hidden both networks are measured: the paper's (--columns, 3×1001, --batches) and the \
            default preset's (9 columns as protein, 2×128, batch 128); with --hidden only that one.
            """)

    @Option(help: "Columns d of the table the paper network is built for (wine has 11).")
    var columns = 11
    @Option(help: "Hidden widths, comma separated (default: the paper's 1001,1001,1001, then the default preset's 128,128 for 9 columns).")
    var hidden: String?
    @Option(help: "Training batch sizes to measure, comma separated (the default preset's network: 128).")
    var batches = "50,100,256"
    @Option(help: "Rows per forward pass in the ODE.")
    var odeRows = 1024
    @Option(help: "Rows of the protein-shaped table (9 columns, 20% missing) `apply` imputes; 0 skips it.")
    var applyRows = 8192
    @Option(help: "Seconds to spend on each measurement.")
    var seconds = 2.0
    @Option(help: "Threads (with --gemm-threading openblas: OpenBLAS's, else the package's workers).")
    var threads = 2
    @Option(help: "Workers for the package's own elementwise kernels and Adam (default: --threads).")
    var elementwiseThreads: Int?
    @Option(help: ArgumentHelp("Who threads a product: 'package' (columns split over the package's workers, each block "
        + "a single-threaded sgemm; the default) or 'openblas' (one sgemm call threaded by OpenBLAS).", valueName: "package|openblas"))
    var gemmThreading = "package"
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false
    @Option(help: ArgumentHelp("Only run this many training steps at the first batch size, then exit: a driver for profilers "
        + "(valgrind --tool=callgrind --toggle-collect='*FlowTrainer*step*').", visibility: .hidden))
    var profileSteps: Int?
    @Option(help: ArgumentHelp("Only run this many 10-step ODE passes over --ode-rows rows, then exit (a profiler driver).",
                               visibility: .hidden))
    var profileODE: Int?

    func validate() throws {
        guard ["package", "openblas"].contains(gemmThreading) else { throw ValidationError("--gemm-threading is package or openblas") }
        if threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if let elementwiseThreads, elementwiseThreads < 1 { throw ValidationError("--elementwise-threads must be at least 1") }
        if columns < 1 { throw ValidationError("--columns must be at least 1 (got \(columns))") }
        if odeRows < 1 { throw ValidationError("--ode-rows must be at least 1 (got \(odeRows))") }
        if applyRows < 0 { throw ValidationError("--apply-rows must be 0 (skip) or more (got \(applyRows))") }
        _ = try hiddenWidths()
        _ = try positiveList(batches, option: "--batches")
    }

    /// The threads, product splitting and elementwise workers the options ask for.
    var context: ComputeContext {
        var context = ComputeContext(threads: threads)
        context.productSplitting = gemmThreading == "package" ? .package : .openBLAS
        context.elementwiseThreads = elementwiseThreads
        return context
    }

    func run() throws {
        try context.run { try measureAll() }
    }

    func measureAll() throws {
        // (columns, hidden widths, batch sizes, JSON key prefix) of each network measured.
        var networks: [(Int, [Int], [Int], String)] = [(columns, try hiddenWidths(), try positiveList(batches, option: "--batches"), "")]
        if hidden == nil { networks.append((9, MIRIConfiguration.fast.hiddenWidths, [MIRIConfiguration.fast.batchSize], "fast_")) }
        if let profileODE {
            let (d, widths, _, _) = networks[0]
            let ode = odeStep(rows: odeRows, widths: [3 * d + 1] + widths + [d], steps: 10)
            for _ in 0..<profileODE { ode() }
            return
        }
        if let profileSteps {
            let (d, widths, batchSizes, _) = networks[0]
            let step = trainingStep(batch: batchSizes[0], widths: [3 * d + 1] + widths + [d])
            for _ in 0..<profileSteps { step() }
            return
        }
        let kernels = BLASRuntime.kernels
        var results: [String: Any] = [
            "openblas_core": kernels.core, "openblas_detected_core": kernels.detectedCore, "openblas_version": kernels.openBLASVersion,
            "openblas_core_reason": kernels.reason, "cpu": kernels.cpu.summary, "vector_path": kernels.vectorPath.rawValue,
            "threads": threads, "widths": [3 * columns + 1] + networks[0].1 + [columns], "gemm_threading": gemmThreading,
            "openblas_coretype_env": ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "",
        ]
        var lines: [String] = []
        let plain = measure(seconds: seconds, gemmSequence(rows: 100, widths: [1001, 1001], backward: false))
        lines.append(String(format: "sgemm 100×1001×1001                    %7.1f GFLOP/s", plainFlops(100) / plain / 1e9))
        results["sgemm_gflops"] = plainFlops(100) / plain / 1e9
        // The same product threaded the other way, for comparison.
        var otherContext = context
        otherContext.productSplitting = context.productSplitting == .package ? .openBLAS : .package
        let other = otherContext.run { measure(seconds: seconds, gemmSequence(rows: 100, widths: [1001, 1001], backward: false)) }
        let otherName = gemmThreading == "package" ? "openblas" : "package"
        results["sgemm_gflops_\(otherName)_threading"] = plainFlops(100) / other / 1e9
        lines.append(String(format: "  (same product threaded by %@: %.1f GFLOP/s)", otherName, plainFlops(100) / other / 1e9))

        for (d, hiddenWidths, batchSizes, key) in networks {
            let widths = [3 * d + 1] + hiddenWidths + [d]
            lines.append("network \(widths)\(key.isEmpty ? "" : " (the default preset's, \(d) columns)"):")
            // Euler steps per ODE pass (one integrate call, its buffers allocated once): 10 for the paper
            // network (100 in a real round; 10 keeps a call short), the preset's 20 for the 128-wide one.
            let odeSteps = widths.dropFirst().dropLast().max()! > 256 ? 10 : MIRIConfiguration.fast.odeSteps
            measureNetwork(widths: widths, batchSizes: batchSizes, odeSteps: odeSteps, key: key, results: &results, lines: &lines)
        }
        if applyRows > 0 {
            let rate = applyRate(rows: applyRows)
            results["apply_rows_per_second"] = rate
            lines.append(String(format: "apply, default preset (10 rounds × 20 Euler steps), protein's shape (%d rows × 9, 20%% missing): %.0f rows/s",
                                applyRows, rate))
        }

        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("CPU: \(kernels.cpu.summary)")
            print("OpenBLAS \(kernels.openBLASVersion), core \(kernels.core) (\(kernels.reason)); vector kernels \(kernels.vectorPath.description)")
            print("\(threads) threads (products threaded by \(gemmThreading))")
            lines.forEach { print($0) }
        }
    }

    /// The training step at each batch size, Adam alone and the ODE, for one network; keys prefixed `key`.
    func measureNetwork(widths: [Int], batchSizes: [Int], odeSteps: Int, key: String, results: inout [String: Any], lines: inout [String]) {
        for b in batchSizes {
            let step = trainingStep(batch: b, widths: widths)
            let (tGemm, tStep) = measurePair(seconds: 2 * seconds, gemmSequence(rows: b, widths: widths, backward: true), step)
            let flops = stepFlops(batch: b, widths: widths)
            let sgemmRate = flops / tGemm / 1e9, stepRate = flops / tStep / 1e9
            results["\(key)sgemm_gflops_b\(b)"] = sgemmRate
            results["\(key)train_gflops_b\(b)"] = stepRate
            results["\(key)train_ratio_b\(b)"] = stepRate / sgemmRate
            results["\(key)train_ms_per_step_b\(b)"] = tStep * 1e3
            lines.append(String(format: "training step, batch %4d: %6.2f ms   %7.1f GFLOP/s   sgemm same shapes %7.1f   ratio %.2f",
                                b, tStep * 1e3, stepRate, sgemmRate, stepRate / sgemmRate))
            let parts = breakdown(seconds: seconds, step)
            results["\(key)train_breakdown_ms_b\(b)"] = parts.json
            lines.append("    per step: " + parts.text)
            let current = ComputeContext.current
            if current.threads > 1 {
                // The same step on one thread, alternated with the run's thread count (the switch must never be slower).
                var one = current
                one.threads = 1
                one.elementwiseThreads = nil
                let (tOne, tMany) = measurePair(seconds: seconds, { one.run { step() } }, { current.run { step() } })
                results["\(key)train_ms_per_step_1_thread_b\(b)"] = tOne * 1e3
                lines.append(String(format: "    1 thread %.3f ms, %d threads %.3f ms per step (%.2f× the 1-thread time)",
                                    tOne * 1e3, current.threads, tMany * 1e3, tMany / tOne))
            }
        }

        let adamTime = measure(seconds: seconds, adamStep(widths: widths))
        results["\(key)adam_ms_per_step"] = adamTime * 1e3
        lines.append(String(format: "Adam update alone (%d parameters): %.2f ms", MLP(widths: widths).parameterCount, adamTime * 1e3))

        let forwardFlops = 2 * Double(odeRows) * Double(macs(widths))
        let ode = odeStep(rows: odeRows, widths: widths, steps: odeSteps)
        let (tForwardGemm, tPass) = measurePair(seconds: 2 * seconds, gemmSequence(rows: odeRows, widths: widths, backward: false), ode)
        let tOde = tPass / Double(odeSteps)
        results["\(key)ode_gflops"] = forwardFlops / tOde / 1e9
        results["\(key)ode_sgemm_gflops"] = forwardFlops / tForwardGemm / 1e9
        results["\(key)ode_ratio"] = tForwardGemm / tOde
        results["\(key)ode_row_steps_per_second"] = Double(odeRows) / tOde
        lines.append(String(format: "ODE Euler step, %d rows (passes of %d):  %7.1f GFLOP/s   sgemm same shapes %7.1f   ratio %.2f   %.0f row-steps/s",
                            odeRows, odeSteps, forwardFlops / tOde / 1e9, forwardFlops / tForwardGemm / 1e9, tForwardGemm / tOde, Double(odeRows) / tOde))
        let odeParts = breakdown(seconds: seconds, ode, per: odeSteps)
        results["\(key)ode_breakdown_ms"] = odeParts.json
        lines.append("    per Euler step: " + odeParts.text)
    }

    /// Rows per second of `FittedMIRI.impute` (what `miri apply` runs per batch) with a default-preset
    /// model of random weights on a protein-shaped table: 9 columns, 20% of cells missing (MCAR).
    func applyRate(rows: Int) -> Double {
        var random = RandomSource(seed: 5)
        let d = 9, config = MIRIConfiguration.fast
        let networks = (0..<config.rounds).map { _ in MLP(widths: [3 * d + 1] + config.hiddenWidths + [d], random: &random) }
        let model = FittedMIRI(configuration: config, scaling: Standardization(means: Array(repeating: 0, count: d), stds: Array(repeating: 1, count: d)),
                               bounds: nil, networks: networks, compute: ComputeContext.current)
        let table = Matrix(rows: rows, cols: d, storage: (0..<(rows * d)).map { _ in
            random.uniformFloat() < 0.2 ? .nan : Float(random.normal()) })
        let time = measure(seconds: seconds) { _ = try? model.transform(table, seed: 1) }
        return Double(rows) / time
    }

    func plainFlops(_ m: Int) -> Double { 2 * Double(m) * 1001 * 1001 }

    /// `--hidden` as the library reads hidden widths (`MIRIConfigurationBuilder.widths`).
    func hiddenWidths() throws -> [Int] {
        let text = hidden ?? "1001,1001,1001"
        guard let widths = MIRIConfigurationBuilder.widths(text) else {
            throw ValidationError("--hidden: '\(text)' is not a list of positive integers (give them comma separated, such as 1001,1001,1001)")
        }
        return widths
    }

    /// A comma-separated list of positive integers, or an error naming the option and the bad entry.
    func positiveList(_ text: String, option: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        return try parts.map { part in
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw ValidationError("\(option): '\(part)' is not a positive integer (give a comma-separated list such as 128,128)")
            }
            return value
        }
    }
}

/// Multiply–adds of one forward pass per row.
func macs(_ widths: [Int]) -> Int { zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } }

/// GEMM flops of one training step: forward, weight gradients, and input gradients of every layer but the first.
func stepFlops(batch: Int, widths: [Int]) -> Double {
    let all = macs(widths), first = widths[0] * widths[1]
    return 2 * Double(batch) * Double(3 * all - first)
}

/// Wall seconds of one call of `body`.
func elapsed(_ body: () -> Void) -> Double {
    let watch = Stopwatch()
    body()
    return watch.seconds
}

/// The median seconds of `body` over repeated calls filling about `seconds`.
func measure(seconds: Double, _ body: () -> Void) -> Double {
    body()                                              // warm up caches and worker threads
    var times: [Double] = []
    let watch = Stopwatch()
    while watch.seconds < seconds || times.count < 5 { times.append(elapsed(body)) }
    return times.sorted()[times.count / 2]
}

/// Medians of `a` and `b` called alternately, so both see the same machine (load, clock, cache state).
func measurePair(seconds: Double, _ a: () -> Void, _ b: () -> Void) -> (Double, Double) {
    a(); b()
    var ta: [Double] = [], tb: [Double] = []
    let watch = Stopwatch()
    while watch.seconds < seconds || ta.count < 5 {
        ta.append(elapsed(a))
        tb.append(elapsed(b))
    }
    return (ta.sorted()[ta.count / 2], tb.sorted()[tb.count / 2])
}

/// Where the wall time of `body` goes: sgemm, the package's elementwise kernels, Adam, and the
/// rest, in milliseconds per call (divided by `per`, e.g. Euler steps per call), from `PhaseClock`.
func breakdown(seconds: Double, _ body: () -> Void, per: Int = 1) -> (text: String, json: [String: Double]) {
    body()
    let clock = PhaseClock()
    var timed = ComputeContext.current
    timed.clock = clock
    let watch = Stopwatch()
    var calls = 0
    timed.run {
        while watch.seconds < seconds || calls < 5 {
            body()
            calls += 1
        }
    }
    let total = watch.seconds
    let scale = 1e3 / Double(calls * per)
    var json: [String: Double] = ["total": total * scale]
    var known = 0.0
    for phase in PhaseClock.Phase.allCases {
        json[phase.name] = clock.seconds(phase) * scale
        known += clock.seconds(phase)
    }
    json["other"] = (total - known) * scale
    let order = PhaseClock.Phase.allCases.map(\.name) + ["other"]
    let text = order.map { String(format: "%@ %.2f ms (%.0f%%)", $0, json[$0]!, 100 * json[$0]! / json["total"]!) }
        .joined(separator: ", ") + String(format: "; total %.2f ms", json["total"]!)
    return (text, json)
}

/// The exact sgemm calls of a forward (and backward) pass, on random buffers, with nothing else.
func gemmSequence(rows: Int, widths: [Int], backward: Bool) -> () -> Void {
    var random = RandomSource(seed: 1)
    func buffer(_ n: Int) -> FloatBuffer {
        let b = FloatBuffer(count: n)
        for i in 0..<n { b[i] = random.uniformFloat(in: -1, 1) }
        return b
    }
    let layers = Array(zip(widths, widths.dropFirst()))
    let acts = widths.map { buffer(rows * $0) }
    let weights = layers.map { buffer($0.0 * $0.1) }
    let grads = layers.map { buffer($0.0 * $0.1) }
    let deltas = widths.map { buffer(rows * $0) }
    return {
        for (l, (fanIn, fanOut)) in layers.enumerated() {
            gemm(.none, .none, m: rows, n: fanOut, k: fanIn, a: acts[l].pointer, lda: fanIn,
                 b: weights[l].pointer, ldb: fanOut, c: acts[l + 1].pointer, ldc: fanOut)
        }
        guard backward else { return }
        for (l, (fanIn, fanOut)) in layers.enumerated().reversed() {
            gemm(.transposed, .none, m: fanIn, n: fanOut, k: rows, a: acts[l].pointer, lda: fanIn,
                 b: deltas[l + 1].pointer, ldb: fanOut, c: grads[l].pointer, ldc: fanOut)
            if l > 0 {
                gemm(.none, .transposed, m: rows, n: fanIn, k: fanOut, a: deltas[l + 1].pointer, lda: fanOut,
                     b: weights[l].pointer, ldb: fanOut, c: deltas[l].pointer, ldc: fanIn)
            }
        }
    }
}

/// One full training step (minibatch fill, forward, loss, backward, Adam) as MIRI runs it.
func trainingStep(batch: Int, widths: [Int]) -> () -> Void {
    let d = widths.last!, n = max(batch * 4, 1000)
    var random = RandomSource(seed: 2)
    let x = (0..<(n * d)).map { _ in Float(random.normal()) }
    let o = (0..<(n * d)).map { _ in random.uniformFloat() < 0.6 ? Float(1) : 0 }
    let partner = random.permutation(n)
    let network = MLP(widths: widths, random: &random)
    var config = MIRIConfiguration.paper
    config.learningRate = 1e-4
    let trainer = FlowTrainer(network: network, columns: d, batchCapacity: batch, optimizer: config.optimizer)
    var start = 0
    return {
        x.withUnsafeBufferPointer { xs in
            o.withUnsafeBufferPointer { os in
                if start + batch > n { start = 0 }
                trainer.prepare(rows: partner[start..<(start + batch)], data: xs.baseAddress!, observed: os.baseAddress!,
                                partner: partner, random: &random)
                start += batch
                trainer.step(rows: batch)
            }
        }
    }
}

/// `steps` Euler steps of the ODE over `rows` rows (one integrate call, as a round runs it).
func odeStep(rows: Int, widths: [Int], steps: Int) -> () -> Void {
    let d = widths.last!
    var random = RandomSource(seed: 3)
    let network = MLP(widths: widths, random: &random)
    var x = Matrix(rows: rows, cols: d, storage: (0..<(rows * d)).map { _ in Float(random.normal()) })
    let o = Matrix(rows: rows, cols: d, storage: (0..<(rows * d)).map { _ in random.uniformFloat() < 0.6 ? 1 : 0 })
    let sampler = FlowSampler(steps: steps, blockRows: rows)
    let start = x
    // From the same start each call: repeated integration would drift the rows to ever larger values.
    return { x = start; sampler.integrate(network: network, x: &x, observed: o) }
}

/// One Adam update over the network's parameters, alone.
func adamStep(widths: [Int]) -> () -> Void {
    var random = RandomSource(seed: 4)
    let network = MLP(widths: widths, random: &random)
    let gradients = FloatBuffer(count: network.parameterCount)
    for i in 0..<gradients.count { gradients[i] = random.uniformFloat(in: -1, 1) }
    let adam = Adam(parameterCount: network.parameterCount, learningRate: 1e-4)
    return { adam.update(parameters: network.parameters, gradients: gradients) }
}
