import Foundation
import TrailModel

/// What one `az` command did: when it ran, how it ended, and where its output is.
public struct CommandRun: Sendable {
    public var arguments: [String]
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// The exit status; nil when the command was stopped at its timeout.
    public var exitStatus: Int32?
    public var timedOut: Bool
    /// Standard output and standard error, as written, in temporary files (never held in memory whole).
    public var standardOutput: URL
    public var standardError: URL

    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}

/// The user's own Azure CLI: found on the PATH, run one command at a time with a timeout, its output
/// captured to temporary files.
public struct AzureCLI: Sendable {
    public let executable: String
    public let environment: [String: String]

    /// The variables every command gets on top of the user's: no extension is installed behind the user's
    /// back (a missing `log-analytics` extension is a failure the summary explains); Batch data-plane
    /// commands use the user's Entra ID login, never an account key from the environment.
    static let environmentOverrides = ["AZURE_EXTENSION_USE_DYNAMIC_INSTALL": "no", "AZURE_BATCH_AUTH_MODE": "aad", "AZURE_CORE_NO_COLOR": "true"]
    static let environmentRemoved = ["AZURE_BATCH_ACCESS_KEY"]

    /// The `az` on the PATH of `environment`, or nil.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> AzureCLI? {
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/az"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                var childEnvironment = environment
                for name in environmentRemoved { childEnvironment[name] = nil }
                childEnvironment.merge(environmentOverrides) { _, override in override }
                return AzureCLI(executable: candidate, environment: childEnvironment)
            }
        }
        return nil
    }

    /// Runs `arguments` (`az` first) with standard input closed; stops it after `timeout` seconds (SIGTERM,
    /// then SIGKILL five seconds later). Output goes to files in `scratch`.
    public func run(_ arguments: [String], timeout: TimeInterval, scratch: URL, name: String) throws -> CommandRun {
        if let reason = CommandSafety.refusal(arguments) {
            throw CollectError.refusedCommand(command: arguments.joined(separator: " "), reason: reason)
        }
        let output = scratch.appendingPathComponent(name + ".stdout"), errors = scratch.appendingPathComponent(name + ".stderr")
        for file in [output, errors] {
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CollectError.cannotWriteBundle(path: file.path, reason: "cannot create a temporary file")
            }
        }
        let outputHandle = try FileHandle(forWritingTo: output), errorHandle = try FileHandle(forWritingTo: errors)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let startedAt = Timestamp.now
        try process.run()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        let finishedAt = Timestamp.now
        return CommandRun(arguments: arguments, startedAt: startedAt, finishedAt: finishedAt,
                          exitStatus: timedOut ? nil : process.terminationStatus, timedOut: timedOut,
                          standardOutput: output, standardError: errors)
    }
}
