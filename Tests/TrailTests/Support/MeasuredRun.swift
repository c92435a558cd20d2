import Foundation
import XCTest

/// Runs the built `mitrail` binary and learns its peak memory: spawned with posix_spawn and reaped
/// with wait4, whose rusage holds the child's own maximum resident set size.
enum MeasuredRun {
    struct Result {
        let run: MitrailRun
        /// Peak resident memory of the process, in bytes.
        let maximumResidentBytes: Int
    }

    static func run(_ arguments: [String], db: URL) throws -> Result {
        let scratch = TestPaths.temporaryDirectory("measured")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputPath = scratch.appendingPathComponent("stdout").path, errorPath = scratch.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([TestPaths.binary.path] + arguments + ["--db", db.path]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, TestPaths.binary.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw NSError(domain: "posix_spawn", code: Int(spawned)) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        let run = MitrailRun(status: exitStatus,
                             stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                             stderr: String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self))
        return Result(run: run, maximumResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}
