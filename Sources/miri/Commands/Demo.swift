import ArgumentParser
import Evaluation
import Foundation
import Imputation
import Linalg
import Plotting
import TableIO

extension Miri {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Impute two tables with a known truth with mean, kNN and MIRI; print the scores and draw SVG plots.",
            discussion: """
                The tables are built in code: two moons (2,000 points in 2-D) and a 6-column table \
                with a Gaussian-copula core and nonlinear links (2,000 rows). 40% of the cells are \
                masked completely at random (the benchmark's SplitMix64 mask), then mean, kNN (k = 5) \
                and MIRI (preset calibrated) fill them in. For each table the demo prints a Markdown table \
                of RMSE, MMD and W1 on the true table's standardized scale, and seconds, per method; \
                and it writes SVG pictures: scatter panels (truth, masked, MIRI, kNN) and MIRI's RMSE \
                and W1 by round. About a minute on 2 cores; --quick takes seconds.
                """
        )

        @Option(help: ArgumentHelp("Folder for the SVG pictures (created if needed).", valueName: "DIR"))
        var outputDir = "miri-demo"

        @Option(help: "Seed of the tables, the mask and MIRI.")
        var seed: UInt64 = 0

        @Flag(help: "Smaller tables (500 rows) and a short MIRI run (3 rounds of 40 optimizer steps): a smoke test.")
        var quick = false

        @OptionGroup var threading: ThreadsOption

        func run() throws {
            let start = Stopwatch()
            var config = MIRIConfiguration.calibrated
            if quick { config.rounds = 3; config.stepsPerRound = 40 }   // 40 optimizer steps a round
            let rows = quick ? 500 : 2000

            var random = SyntheticTables.stream(seed: seed)
            let datasets = [DemoData.twoMoons(rows: rows, random: &random), DemoData.copula(rows: rows, random: &random)]
            var runner = DemoRunner(settings: ImputationMethod.Settings(seed: seed, compute: threading.context, miri: config), maskSeed: seed)

            print("# miri demo\n")
            print("OpenBLAS \(BLASRuntime.version), kernel core \(BLASRuntime.coreName), \(threading.context.threads) thread(s). "
                  + "MIRI preset calibrated\(quick ? " shortened by --quick" : ""): \(config.rounds) rounds x \(config.epochs(forRows: rows)) epochs, "
                  + "batch \(config.batchSize), hidden \(config.hiddenWidths(columns: 2).map(String.init).joined(separator: ",")), "
                  + "lr \(config.learningRate), \(config.odeSteps) \(config.odeSolver.rawValue) steps; seed \(seed).")
            print("Scores on the true table's standardized scale: RMSE over the masked cells, MMD (RBF, median "
                  + "bandwidth), W1 (mean over columns). A sampler such as MIRI has about 1.4 times the RMSE of the "
                  + "conditional mean, but should match the distribution (low MMD and W1); the noise fill is MIRI's start.\n")
            fflush(nil)

            var outcomes: [DemoOutcome] = []
            for dataset in datasets {
                let display = ProgressDisplay(rounds: config.rounds, epochs: config.epochs(forRows: rows), live: Diagnostics.isTerminal,
                                              quiet: !Diagnostics.isTerminal, roundSummaries: false)
                runner.settings.hooks.epochFinished = { display.epochFinished(round: $0, epoch: $1, loss: $2) }
                let outcome: DemoOutcome
                do {
                    outcome = try runner.run(dataset)
                    display.finish(erase: true)
                } catch {
                    display.finish(erase: true)
                    Failure(error, source: dataset.title).exit()
                }
                print(Self.report(outcome))
                fflush(nil)
                outcomes.append(outcome)
            }

            let pictures = try writePictures(outcomes)
            print("Pictures:")
            for (path, what) in pictures { print("- \(path): \(what)") }
            print("\nTotal time: \(String(format: "%.1f", start.seconds)) s")
        }

        /// The Markdown section of one table.
        static func report(_ o: DemoOutcome) -> String {
            let t = o.dataset.truth
            let missing = o.observed.storage.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
            var lines = [
                "## \(o.dataset.title): \(t.rows) rows x \(t.cols) columns (\(o.dataset.columns.joined(separator: ", ")))\n",
                "\(missing) of \(t.count) cells masked (\(String(format: "%.1f", 100 * Double(missing) / Double(t.count)))% MCAR).\n",
                "| method | RMSE | MMD | W1 | seconds |",
                "| --- | ---: | ---: | ---: | ---: |",
            ]
            let names = ["noise": "noise fill (MIRI's start)", "mean": "mean", "knn": "kNN (k = 5)", "miri": "MIRI (calibrated)"]
            for s in o.scores {
                let seconds = s.name == "noise" ? "-" : String(format: "%.2f", s.seconds)
                lines.append("| \(names[s.name] ?? s.name) | \(String(format: "%.3f", s.rmse)) | \(String(format: "%.4f", s.mmd)) | "
                             + "\(String(format: "%.4f", s.w1)) | \(seconds) |")
            }
            lines.append("")
            lines.append("MIRI by round (0 = noise fill): RMSE " + o.rounds.map { String(format: "%.3f", $0.rmse) }.joined(separator: " ")
                         + "; W1 " + o.rounds.map { String(format: "%.3f", $0.w1) }.joined(separator: " "))
            lines.append("")
            return lines.joined(separator: "\n")
        }

        /// Writes the SVGs; returns each path with what it shows.
        func writePictures(_ outcomes: [DemoOutcome]) throws -> [(String, String)] {
            do {
                try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
            } catch {
                Failure(message: "cannot create the folder \(outputDir): \(error.localizedDescription)", status: ExitStatus.failure).exit()
            }
            var written: [(String, String)] = []
            for picture in DemoPlots.pictures(outcomes) {
                let path = (outputDir as NSString).appendingPathComponent(picture.name)
                do {
                    try AtomicFile.write(Data(picture.svg.document.utf8), to: path)
                } catch {
                    Failure(error, source: path).exit()
                }
                written.append((path, picture.what))
            }
            return written
        }
    }
}
