import Foundation
import XCTest

/// A tiny run of the team store benchmark (bench/teamstore.py) with the debug binary: it starts its own
/// PostgreSQL, pushes, loads the same rows with psql \copy and stops the server. Figures are not read or asserted.
final class TeamStoreBenchSmokeTests: XCTestCase {
    func testTinyTeamStoreBenchmarkRunWritesItsFigures() throws {
        _ = try PostgresServer.shared()  // skips, with its message, when no server binary exists
        let out = TestPaths.temporaryDirectory().appendingPathComponent("teamstore.md")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [TestPaths.packageRoot.appendingPathComponent("bench/teamstore.py").path, "--smoke",
                             "--bin", TestPaths.binary.deletingLastPathComponent().path, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let report = try String(contentsOf: out, encoding: .utf8)
        for figure in ["## Team store", "`mitrail push` of the store", "7,000 records", "rows/s", "`psql \\copy` of the very rows",
                       "Pushing the same store again"] {
            XCTAssertTrue(report.contains(figure), "missing \(figure) in:\n\(report)")
        }
    }
}
