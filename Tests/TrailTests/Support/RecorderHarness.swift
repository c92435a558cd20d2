import Foundation
import XCTest

/// A process started for one test and stopped by its PID: output goes to files, reads are bounded in time.
final class BackgroundProcess {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], scratch: URL) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MITRAIL_DB"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let name = UUID().uuidString.prefix(8)
        stdoutURL = scratch.appendingPathComponent("\(name).stdout")
        stderrURL = scratch.appendingPathComponent("\(name).stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Polls (every 20 ms, at most `seconds`) until `found` returns a value from the output so far.
    func waitFor<T>(seconds: Double = 20, _ found: (BackgroundProcess) -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = found(self) { return value }
            if !process.isRunning, let value = found(self) { return value }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw NSError(domain: "BackgroundProcess", code: 1, userInfo: [NSLocalizedDescriptionKey:
            "gave up waiting for \(process.executableURL?.lastPathComponent ?? "?"); stdout: \(stdout) stderr: \(stderr)"])
    }

    /// Sends `signal` and waits (at most `seconds`, then SIGKILL) for the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, seconds: Double = 40) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// The fake IMDS upstream (Tests/recorder/fake_imds.py) on 127.0.0.1.
final class FakeIMDS {
    static let script = TestPaths.packageRoot.appendingPathComponent("Tests/recorder/fake_imds.py").path
    static let knownClient = "00000000-0000-0000-0000-0000000000c1"
    static let throttledClient = "00000000-0000-0000-0000-0000000000c4"
    static let silentClient = "00000000-0000-0000-0000-0000000000c5"
    static let unknownClient = "00000000-0000-0000-0000-0000000000c9"

    let server: BackgroundProcess
    let port: Int

    init(scratch: URL, throttle: Int = 1) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("/usr/bin/python3 is not installed") }
        server = try BackgroundProcess("/usr/bin/python3", [Self.script, "--throttle", String(throttle)], scratch: scratch)
        port = try server.waitFor { process in
            process.stdout.split(separator: "\n").first.flatMap { $0.hasPrefix("listening ") ? Int($0.dropFirst(10)) : nil }
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    deinit { server.stop() }

    /// A token request target for `resource`, naming `client` when given.
    static func tokenPath(resource: String = "https://storage.azure.com/", client: String? = nil) -> String {
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=\(resource)" + (client.map { "&client_id=\($0)" } ?? "")
    }
}

/// `mitrail record ...` running in the background until stopped.
final class RecorderRun {
    let recorder: BackgroundProcess
    /// `http://127.0.0.1:PORT`, as the recorder printed it.
    let url: String

    init(_ arguments: [String], scratch: URL) throws {
        recorder = try BackgroundProcess(TestPaths.binary.path, ["record"] + arguments, scratch: scratch)
        url = try recorder.waitFor { process in
            guard let line = process.stderr.split(separator: "\n").first(where: { $0.hasPrefix("mitrail record: http://") }) else { return nil }
            return line.split(separator: " ")[2].description
        }
    }

    /// SIGTERM (or `signal`), then the exit status and what the recorder said.
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
        let status = recorder.stop(signal)
        return (status, recorder.stderr)
    }
}

/// What curl received: the status line, the headers in order and the body.
struct CurlAnswer: Equatable {
    var statusLine: String
    var headers: [String]
    var body: Data

    /// The headers without `Date`, which differs between two answers a second apart.
    var headersWithoutDate: [String] { headers.filter { !$0.lowercased().hasPrefix("date:") } }
}

enum Curl {
    /// `curl -s -D - URL` with the given headers (and other curl arguments); nil when curl could not connect at all.
    static func get(_ url: String, headers: [String] = [], arguments: [String] = [], maxSeconds: Int = 20) throws -> CurlAnswer? {
        let scratch = TestPaths.temporaryDirectory("curl")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let headerFile = scratch.appendingPathComponent("headers"), bodyFile = scratch.appendingPathComponent("body")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", String(maxSeconds), "-D", headerFile.path, "-o", bodyFile.path]
            + headers.flatMap { ["-H", $0] } + arguments + [url]
        try process.run()
        process.waitUntilExit()
        guard let raw = try? String(contentsOf: headerFile, encoding: .utf8), !raw.isEmpty else { return nil }
        let lines = raw.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        return CurlAnswer(statusLine: lines[0], headers: Array(lines.dropFirst()), body: (try? Data(contentsOf: bodyFile)) ?? Data())
    }
}

/// A virtual environment with Azure Identity for Python, made once under `.build/test-venv` and reused.
enum AzureIdentityVenv {
    static let directory = TestPaths.packageRoot.appendingPathComponent(".build/test-venv")
    static var python: String { directory.appendingPathComponent("bin/python").path }

    /// The venv's python, after installing `azure-identity` from PyPI if it is not there yet; skips the test
    /// (saying why) when PyPI cannot be reached or venv is missing.
    static func pythonWithAzureIdentity() throws -> String {
        if check() { return python }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("/usr/bin/python3 is not installed") }
        let created = try run("/usr/bin/python3", ["-m", "venv", directory.path])
        guard created.status == 0 else { throw XCTSkip("python3 -m venv failed (install python3-venv): \(created.output)") }
        let installed = try run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "azure-identity"])
        guard installed.status == 0, check() else {
            throw XCTSkip("pip could not install azure-identity from PyPI (unreachable?): \(installed.output.suffix(600))")
        }
        return python
    }

    static func check() -> Bool {
        FileManager.default.isExecutableFile(atPath: python) && ((try? run(python, ["-c", "import azure.identity"]).status) == 0)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = TestPaths.temporaryDirectory("venv").appendingPathComponent("output")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}

/// The capture file's records, each parsed (a line that is not a JSON object fails the test).
enum Capture {
    static func records(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.isEmpty || text.hasSuffix("\n"), "the capture ends in the middle of a line", file: file, line: line)
        return try text.split(separator: "\n").map { record in
            let object = try JSONSerialization.jsonObject(with: Data(record.utf8))
            guard let dictionary = object as? [String: Any] else {
                XCTFail("not a JSON object: \(record)", file: file, line: line)
                return [:]
            }
            return dictionary
        }
    }

    /// The token fingerprints (`<redacted-jwt sha256:FINGERPRINT ...>`) in the records' bodies.
    static func fingerprints(_ records: [[String: Any]]) -> [String] {
        records.compactMap { ($0["responseBody"] as? String)?.components(separatedBy: "sha256:").dropFirst().first.map { String($0.prefix(12)) } }
    }
}
