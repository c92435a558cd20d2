import Foundation
import XCTest

/// A benchmark script of `bench/` run at its smoke sizes with the debug binaries, as the smoke tests run it.
enum BenchScript {
    /// Runs `bench/SCRIPT --smoke --bin DIR --out FILE` and returns what it wrote to FILE; fails the test, with the
    /// script's standard error, when it exits with another status than 0.
    static func smokeReport(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let out = TestPaths.temporaryDirectory(script).appendingPathComponent("report.md")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [TestPaths.packageRoot.appendingPathComponent("bench/\(script)").path, "--smoke",
                             "--bin", TestPaths.binary.deletingLastPathComponent().path, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr, file: file, line: line)
        return try String(contentsOf: out, encoding: .utf8)
    }
}
