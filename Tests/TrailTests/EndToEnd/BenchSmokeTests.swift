import Foundation
import XCTest

/// A tiny run of the benchmark generator and runner with the debug binaries: the benchmark itself
/// keeps working. It measures nothing worth reading and asserts no timing.
final class BenchSmokeTests: XCTestCase {
    func testTinyBenchmarkRunWritesEveryFigure() throws {
        for tool in ["/usr/bin/python3", "/usr/bin/cc", "/usr/bin/time"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed")
        }
        let report = try BenchScript.smokeReport("measure.py")
        for figure in ["| agent-debug.log | `batch-agent-log` | 5,000 |", "| token-requests.jsonl | `mitrail-token-requests` | 2,000 |",
                       "Bare C loop", "5,000 lines in", "C baseline replaying the very rows", "mitrail's token-request rows (2,000",
                       "`explain --format json` over 300 failures", "`explain --format json` over 1,500 failures", "`access` verdicts", "agent log rows",
                       "| `failure_records` |", "| `timeline_window` |", "Slowest named query",
                       "Latency `mitrail record` adds to a token request", "exchanges recorded; recorder peak RSS"] {
            XCTAssertTrue(report.contains(figure), "missing \(figure) in:\n\(report)")
        }
    }
}
