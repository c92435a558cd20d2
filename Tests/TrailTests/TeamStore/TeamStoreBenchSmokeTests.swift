import Foundation
import XCTest

/// A tiny run of the team store benchmark (bench/teamstore.py) with the debug binary: it starts its own
/// PostgreSQL, pushes, loads the same rows with psql \copy and stops the server. Figures are not read or asserted.
final class TeamStoreBenchSmokeTests: XCTestCase {
    func testTinyTeamStoreBenchmarkRunWritesItsFigures() throws {
        _ = try PostgresServer.shared()  // skips, with its message, when no server binary exists
        let report = try BenchScript.smokeReport("teamstore.py")
        for figure in ["## Team store", "`mitrail push` of the store", "7,000 records", "rows/s", "`psql \\copy` of the very rows",
                       "Pushing the same store again"] {
            XCTAssertTrue(report.contains(figure), "missing \(figure) in:\n\(report)")
        }
    }
}
