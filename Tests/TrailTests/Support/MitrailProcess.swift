import Foundation
import XCTest

/// Runs the built `mitrail` binary, as a user would.
struct MitrailRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Mitrail {
    /// Runs `mitrail ARGUMENTS` with the store at `db` (when given) and optional standard input.
    @discardableResult
    static func run(_ arguments: [String], db: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:],
                    currentDirectory: URL? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> MitrailRun {
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = arguments + (db.map { ["--db", $0.path] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["MITRAIL_DB"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        // Output goes to files, so that a chatty process never blocks on a full pipe.
        let scratch = TestPaths.temporaryDirectory("run")
        let outputURL = scratch.appendingPathComponent("stdout"), errorURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = try FileHandle(forWritingTo: outputURL), errors = try FileHandle(forWritingTo: errorURL)
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try output.close()
        try errors.close()
        let stdoutData = try Data(contentsOf: outputURL), stderrData = try Data(contentsOf: errorURL)
        return MitrailRun(status: process.terminationStatus,
                          stdout: String(decoding: stdoutData, as: UTF8.self),
                          stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
