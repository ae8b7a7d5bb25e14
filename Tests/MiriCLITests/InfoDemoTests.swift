import TestSupport
import Foundation
import Testing

@Suite struct InfoAndDemoTests {
    @Test func infoNamesTheKernelCoreAndThreads() throws {
        let run = try Tool.run(["info", "--threads", "1"])
        #expect(run.status == 0)
        let text = run.stdoutText
        #expect(text.contains("OpenBLAS: 0.") || text.contains("OpenBLAS: "), "\(text)")
        let core = text.split(separator: "\n").first { $0.hasPrefix("kernel core: ") }
        #expect(core != nil && core!.count > "kernel core: ".count, "\(text)")
        #expect(text.contains("threads: 1 "), "\(text)")
        #expect(text.contains("OPENBLAS_CORETYPE: not set") || ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil)
    }

    /// The variable is OpenBLAS's to read; the tool only reports it (and the core it forced).
    @Test func infoReportsACoreTypeSetByTheUser() throws {
        let run = try Tool.run(["info"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
        #expect(run.status == 0)
        #expect(run.stdoutText.contains(#"OPENBLAS_CORETYPE: set to "Haswell""#), "\(run.stdoutText)")
        #expect(run.stdoutText.contains("kernel core: Haswell"), "\(run.stdoutText)")
    }

    @Test func versionPrintsTheVersionAndTheRuntime() throws {
        let run = try Tool.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdoutText.hasPrefix("miri "))
        #expect(run.stdoutText.contains("kernel core: "))
    }

    @Test func everySubcommandHasHelp() throws {
        for command in [["--help"], ["impute", "--help"], ["info", "--help"], ["demo", "--help"]] {
            let run = try Tool.run(command)
            #expect(run.status == 0, "\(command)")
            #expect(run.stdoutText.contains("USAGE: miri"), "\(command)")
        }
    }

    @Test func quickDemoPrintsTablesAndWritesPictures() throws {
        let scratch = try Scratch()
        let run = try Tool.run(["demo", "--quick", "--output-dir", scratch.url.path, "--threads", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let text = run.stdoutText
        for needle in ["## two moons", "## copula table", "| method | RMSE | MMD | W1 | seconds |", "| MIRI (calibrated) |",
                       "| kNN (k = 5) |", "| mean |", "Total time:"] {
            #expect(text.contains(needle), "missing \(needle) in:\n\(text)")
        }
        #expect(try scratch.listing() == ["convergence.svg", "copula.svg", "two-moons.svg"])
        for name in ["convergence.svg", "copula.svg", "two-moons.svg"] {
            let svg = try scratch.read(name)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"), "\(name)")
            #expect(!svg.contains("nan") && !svg.contains("inf"), "\(name) has a non-finite coordinate")
            #expect(text.contains(scratch.file(name).path))
        }
    }
}
