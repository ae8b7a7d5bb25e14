import ArgumentParser

@main
struct MiriBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "miri-bench",
        abstract: "Benchmarks for the MIRI toolkit: imputation quality on real tables, variant sweeps, and raw throughput.",
        subcommands: [Throughput.self, Quality.self, Draws.self, Sweep.self, Summary.self, Mixed.self, Inference.self]
    )
}
