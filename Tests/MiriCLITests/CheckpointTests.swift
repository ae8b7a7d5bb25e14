import Flow
import Imputation
import TestSupport
import Foundation
import Testing

/// `--checkpoint DIR` / `--resume`: a run stopped between rounds — by the hidden
/// `--stop-after-round`, by Ctrl-C, or killed outright — and then resumed ends with exactly the
/// output of an uninterrupted run with the same seed and threads.
@Suite(.serialized) struct CheckpointTests {
    /// Slow enough (tens of milliseconds a round) that a signal lands mid-run.
    static let slowMIRI = ["--rounds", "30", "--epochs", "4", "--hidden", "48,48", "--steps", "8", "--threads", "1", "--seed", "4"]
    static let training = FitApplyTests.table(rows: 3000)

    /// Rounds completed in the checkpoint at `path` (header field K at offset 16), or nil.
    static func savedRounds(_ path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return nil }
        return (16..<20).reduce(0) { $0 | Int(header[$1]) << (8 * ($1 - 16)) }
    }

    /// Starts `miri arguments…` without waiting; its standard error goes to `stderr`.
    static func start(_ arguments: [String], stderr: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = Tool.executable.url
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    /// Waits until the checkpoint holds at least `rounds` rounds, the process ends, or 10
    /// minutes pass (a hung run then fails the test instead of hanging the suite).
    static func waitForRound(_ rounds: Int, in folder: URL, of process: Process) {
        let file = folder.appendingPathComponent("checkpoint.mirickpt").path
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning && (savedRounds(file) ?? -1) < rounds && Date() < deadline { usleep(2_000) }
        if process.isRunning && (savedRounds(file) ?? -1) < rounds {
            Issue.record("no checkpoint of round \(rounds) after 10 minutes")
            process.terminate()
        }
    }

    @Test("stopped after round 1, resumed: impute's output equals the uninterrupted run's")
    func stopAfterRoundThenResume() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.training)
        let flags = ["--rounds", "3", "--epochs", "2", "--hidden", "16", "--steps", "4", "--threads", "1", "--seed", "9"]
        let whole = try Tool.run(["impute", input, "-o", scratch.file("whole.csv").path, "--quiet"] + flags)
        #expect(whole.status == 0, "\(whole.stderr)")
        let out = scratch.file("out.csv").path, folder = scratch.file("ckpt").path
        let stopped = try Tool.run(["impute", input, "-o", out, "--checkpoint", folder, "--stop-after-round", "1"] + flags)
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("the state after round 1 of 3 is saved in \(folder). Resume with: miri impute "),
                "\(stopped.stderr)")
        #expect(stopped.stderr.contains("--checkpoint \(folder)") && stopped.stderr.hasSuffix(" --resume\n"))
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        #expect(Self.savedRounds(folder + "/checkpoint.mirickpt") == 1)

        let again = try Tool.run(["impute", input, "-o", out, "--checkpoint", folder] + flags)
        #expect(again.status == 64 && again.stderr.contains("add --resume"), "an unfinished run is not overwritten: \(again.stderr)")

        let resumed = try Tool.run(["impute", input, "-o", out, "--checkpoint", folder, "--resume"] + flags)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming from \(folder)/checkpoint.mirickpt: 1 of 3 rounds done"), "\(resumed.stderr)")
        #expect(!resumed.stderr.contains("round 1/3:"), "round 1 is not run again")
        #expect(try scratch.read("out.csv") == scratch.read("whole.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "the checkpoint goes once the output is written")
    }

    @Test("fit: stopped after the noise fill, resumed: the same model (its imputation) as an uninterrupted fit")
    func fitResume() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.training)
        let flags = ["--rounds", "2", "--epochs", "2", "--hidden", "16", "--steps", "4", "--threads", "1", "--quiet"]
        #expect(try Tool.run(["fit", input, "--model", scratch.file("whole.miri").path] + flags).status == 0)
        let folder = scratch.file("ckpt").path
        let stopped = try Tool.run(["fit", input, "--model", scratch.file("m.miri").path, "--checkpoint", folder,
                                    "--stop-after-round", "0"] + flags)
        #expect(stopped.status == 130 && stopped.stderr.contains("the noise fill (round 0)"), "\(stopped.stderr)")
        let resumed = try Tool.run(["fit", input, "--model", scratch.file("m.miri").path, "--checkpoint", folder, "--resume"] + flags)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try Tool.run(["apply", scratch.file("whole.miri").path, input, "--threads", "1", "--quiet"])
        let b = try Tool.run(["apply", scratch.file("m.miri").path, input, "--threads", "1", "--quiet"])
        #expect(a.status == 0 && a.stdout == b.stdout)
    }

    @Test("Ctrl-C between rounds: exit 130 with the resume command; a kill -9: the last round is on disk; both resume exactly")
    func signals() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.training)
        let whole = try Tool.run(["impute", input, "-o", scratch.file("whole.csv").path, "--quiet"] + Self.slowMIRI)
        #expect(whole.status == 0, "\(whole.stderr)")

        for (signal, name) in [(SIGINT, "sigint"), (SIGKILL, "sigkill")] {
            let folder = scratch.file("ckpt-\(name)"), out = scratch.file("\(name).csv").path
            let arguments = ["impute", input, "-o", out, "--checkpoint", folder.path] + Self.slowMIRI
            let process = try Self.start(arguments, stderr: scratch.file("\(name).err"))
            Self.waitForRound(2, in: folder, of: process)
            #expect(process.isRunning, "\(name): the run ended before the signal")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let stderr = try scratch.read("\(name).err")
            if signal == SIGINT {
                #expect(process.terminationStatus == 130, "\(stderr)")
                #expect(stderr.contains("is saved in \(folder.path). Resume with: miri impute"), "\(stderr)")
            } else {
                #expect(process.terminationReason == .uncaughtSignal)
            }
            let saved = Self.savedRounds(folder.appendingPathComponent("checkpoint.mirickpt").path) ?? -1
            #expect(saved >= 2 && saved < 30, "\(name): rounds saved \(saved)")
            #expect(!FileManager.default.fileExists(atPath: out))

            let resumed = try Tool.run(arguments + ["--resume", "--quiet"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try scratch.read("\(name).csv") == scratch.read("whole.csv"), "\(name): resumed after round \(saved)")
        }
    }

    @Test("a checkpoint of other settings, another table, or a damaged one is refused (exit 2)")
    func mismatches() throws {
        let scratch = try Scratch()
        let input = try scratch.write("in.csv", Self.training)
        let folder = scratch.file("ckpt").path
        let flags = ["--rounds", "3", "--epochs", "2", "--hidden", "16", "--steps", "4", "--threads", "1"]
        #expect(try Tool.run(["impute", input, "--checkpoint", folder, "--stop-after-round", "1", "--quiet"] + flags).status == 130)

        let settings = try Tool.run(["impute", input, "--checkpoint", folder, "--resume", "--lr", "0.01"] + flags)
        #expect(settings.status == 2)
        #expect(settings.stderr.contains("the checkpoint was made with other settings (learningRate: \(MIRIConfiguration.fast.learningRate) in the checkpoint, 0.01 now)"),
                "\(settings.stderr)")
        let other = try scratch.write("other.csv", FitApplyTests.table(rows: 3000, seed: 2))
        let table = try Tool.run(["impute", other, "--checkpoint", folder, "--resume"] + flags)
        #expect(table.status == 2 && table.stderr.contains("the checkpoint was made from a different table"), "\(table.stderr)")

        let file = scratch.file("ckpt/checkpoint.mirickpt")
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 10).write(to: file)
        let cut = try Tool.run(["impute", input, "--checkpoint", folder, "--resume"] + flags)
        #expect(cut.status == 2 && cut.stderr.contains("checkpoint.mirickpt: truncated"), "\(cut.stderr)")

        let none = try Tool.run(["impute", input, "--checkpoint", scratch.file("empty").path, "--resume"] + flags)
        #expect(none.status == 2 && none.stderr.contains("no checkpoint to resume"), "\(none.stderr)")
    }

    @Test(arguments: [
        ["impute", "x.csv", "--resume"],
        ["impute", "x.csv", "--method", "knn", "--checkpoint", "d"],
        ["fit", "x.csv", "--model", "m.miri", "--stop-after-round", "1"],
    ])
    func badUsageExitsWith64(arguments: [String]) throws {
        #expect(try Tool.run(arguments).status == 64)
    }
}
