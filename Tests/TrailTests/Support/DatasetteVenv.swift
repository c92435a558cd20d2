import Foundation
import XCTest

/// Datasette from PyPI in a virtual environment under `.build/test-venv-datasette`, made on first use and
/// reused afterwards. The tests that need it skip, saying why, only when PyPI cannot be reached.
enum DatasetteVenv {
    static let folder = TestPaths.packageRoot.appendingPathComponent(".build/test-venv-datasette")
    static var binFolder: URL { folder.appendingPathComponent("bin") }
    /// The Datasette versions mitrail's metadata file is written for (canned queries in metadata, `--setting`).
    static let requirement = "datasette>=0.65,<1.0"

    /// The folder holding `datasette`, installing it first if needed.
    static func binFolderWithDatasette() throws -> URL {
        let datasette = binFolder.appendingPathComponent("datasette")
        if FileManager.default.isExecutableFile(atPath: datasette.path), try run(datasette, ["--version"]).status == 0 {
            return binFolder
        }
        try? FileManager.default.removeItem(at: folder)
        let python = try XCTUnwrap(["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? which("python3"), "python3 is needed to install Datasette (apt-get install python3 python3-venv)")
        let venv = try run(URL(fileURLWithPath: python), ["-m", "venv", folder.path])
        guard venv.status == 0 else {
            XCTFail("python3 -m venv failed (apt-get install python3-venv; .ci/run does): \(venv.output)")
            throw CocoaError(.executableLoad)
        }
        let pip = try run(binFolder.appendingPathComponent("pip"),
                          ["install", "--disable-pip-version-check", "--timeout", "30", "--retries", "2", requirement])
        guard pip.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            let unreachable = ["NewConnectionError", "Network is unreachable", "Temporary failure in name resolution", "Name or service not known",
                               "ConnectTimeoutError", "Connection refused", "ProxyError"]
            if unreachable.contains(where: pip.output.contains) {
                throw XCTSkip("PyPI cannot be reached, so Datasette cannot be installed: \(pip.output.suffix(300))")
            }
            XCTFail("pip install \(requirement) failed: \(pip.output.suffix(2000))")
            throw CocoaError(.executableLoad)
        }
        return binFolder
    }

    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to its end; its standard output and error together.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let log = TestPaths.temporaryDirectory("venv").appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
