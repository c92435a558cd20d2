import Foundation
import XCTest

/// A tiny run of the benchmark generator and runner with the debug binaries: the benchmark itself
/// keeps working. It measures nothing worth reading and asserts no timing.
final class BenchSmokeTests: XCTestCase {
    func testTinyBenchmarkRunWritesEveryFigure() throws {
        for tool in ["/usr/bin/python3", "/usr/bin/cc", "/usr/bin/time"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed")
        }
        let out = TestPaths.temporaryDirectory().appendingPathComponent("bench.md")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [TestPaths.packageRoot.appendingPathComponent("bench/measure.py").path, "--smoke",
                             "--bin", TestPaths.binary.deletingLastPathComponent().path, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let report = try String(contentsOf: out, encoding: .utf8)
        for figure in ["| agent-debug.log | `batch-agent-log` | 5,000 |", "| token-requests.jsonl | `mitrail-token-requests` | 2,000 |",
                       "Bare C loop", "5,000 lines in", "C baseline replaying the very rows", "mitrail's token-request rows (2,000",
                       "`explain --format json` over 300 failures", "`explain --format json` over 1,500 failures", "`access` verdicts", "agent log rows",
                       "| `failure_records` |", "| `timeline_window` |", "Slowest named query"] {
            XCTAssertTrue(report.contains(figure), "missing \(figure) in:\n\(report)")
        }
    }
}
