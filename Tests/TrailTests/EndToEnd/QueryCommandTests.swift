import Foundation
import XCTest

/// `mitrail query` through the built binary: the list (golden), parameters, formats, files, refusals.
final class QueryCommandTests: XCTestCase {
    var workspace: URL!
    var db: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = try ForensicsIncident.database()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    func query(_ arguments: [String]) throws -> MitrailRun {
        try Mitrail.run(["query"] + arguments, db: db, currentDirectory: workspace)
    }

    func writeFile(_ name: String, _ text: String) throws -> String {
        let url = workspace.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testListMatchesGolden() throws {
        let run = try Mitrail.run(["query", "--list"])
        XCTAssertEqual(run.status, 0, run.stderr)
        try GoldenFile.assert(run.stdout, matches: "queries/list.txt", "query --list changed")
    }

    func testListAsJSON() throws {
        let run = try Mitrail.run(["query", "--list", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let queries = try XCTUnwrap(document["queries"] as? [[String: Any]])
        let activity = try XCTUnwrap(queries.first { $0["name"] as? String == "identity_activity" })
        let parameters = try XCTUnwrap(activity["parameters"] as? [[String: Any]])
        XCTAssertEqual(parameters.map { $0["name"] as? String }, ["identity", "since", "until"])
        XCTAssertEqual(parameters[1]["type"] as? String, "time")
        XCTAssertEqual(parameters[1]["optional"] as? Bool, true)
        XCTAssertEqual(parameters[0]["optional"] as? Bool, false)
        XCTAssertEqual(parameters[0]["example"] as? String, "00000000-0000-0000-0000-0000000000b1")
    }

    func testRunsANamedQueryWithParametersInEveryFormat() throws {
        let arguments = ["imds_request_rate", "--param", "node=tvmps_" + String(repeating: "0", count: 61) + "f01_d",
                         "--param", "since=2026-03-04T10:15:00Z"]
        let csv = try query(arguments + ["--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.stdout.split(separator: "\r\n").first, "node,minute,requests,ok,throttled,errors,no_answer,busiest_second")
        XCTAssertTrue(csv.stdout.contains(",2026-03-04T10:20:00Z,5,2,3,0,0,4\r\n"), csv.stdout)
        let ndjson = try query(arguments + ["--format", "ndjson"])
        XCTAssertEqual(ndjson.stdout.split(separator: "\n").count, 1)
        XCTAssertTrue(ndjson.stdout.contains("\"throttled\": 3"), ndjson.stdout)
        let table = try query(arguments)
        XCTAssertTrue(table.stdout.hasSuffix("(1 row)\n"), table.stdout)
    }

    func testUnknownQueryListsTheNames() throws {
        let run = try query(["failures_by_hour"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("No named query 'failures_by_hour'. Known: agent_log_markers, "), run.stderr)
        XCTAssertTrue(run.stderr.contains("failures_by_code_per_hour"), run.stderr)
    }

    func testMissingAndUnknownParametersNameTheExpectedOnes() throws {
        let missing = try query(["identity_activity"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "error: Missing parameter 'identity'. Expected: identity, since, until. Pass each with --param NAME=VALUE.\n")
        let unknown = try query(["identity_activity", "--param", "identity=x", "--param", "principal=y"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "error: Unknown parameter 'principal'. Expected: identity, since, until.\n")
        let none = try query(["evidence_by_kind", "--param", "since=2026-03-04"])
        XCTAssertEqual(none.stderr, "error: Unknown parameter 'since'. Expected: none.\n")
        let badTime = try query(["failures_by_code_per_hour", "--param", "since=yesterday"])
        XCTAssertEqual(badTime.status, 2)
        XCTAssertTrue(badTime.stderr.contains("Parameter 'since' is 'yesterday': not an ISO 8601 time"), badTime.stderr)
        let malformed = try query(["identity_activity", "--param", "identity"])
        XCTAssertEqual(malformed.status, 2)
        XCTAssertTrue(malformed.stderr.contains("Please give --param as NAME=VALUE"), malformed.stderr)
    }

    func testParametersAreBoundNotPasted() throws {
        let run = try query(["identity_activity", "--param", "identity=x') OR 1=1 --"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasSuffix("(0 rows)\n"), run.stdout)
    }

    func testAQueryFileWithItsOwnHeader() throws {
        let path = try writeFile("by-node.sql", """
            -- name: failures_on_node
            -- description: Failures on one node.
            -- params:
            --   node: the node (example: tvmps_...)
            SELECT time, code FROM failures WHERE node = :node ORDER BY time;
            """)
        let run = try query(["--file", path, "--param", "node=tvmps_" + String(repeating: "0", count: 61) + "f03_d", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\r\n").count, 6, "header, the node JSON and 4 agent log lines: \(run.stdout)")
        let missing = try query(["--file", path])
        XCTAssertEqual(missing.stderr, "error: Missing parameter 'node'. Expected: node. Pass each with --param NAME=VALUE.\n")
    }

    func testAQueryFileWithoutHeaderTakesTheParametersOfItsSQL() throws {
        let path = try writeFile("plain.sql", "SELECT count(*) AS n FROM failures WHERE kind = :kind AND time >= :since\n")
        let run = try query(["--file", path, "--param", "kind=azure:storage:blob-log", "--param", "since=2026-03-04T12:00:00.000Z", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "n\r\n1\r\n")
        let missing = try query(["--file", path, "--param", "kind=x"])
        XCTAssertEqual(missing.stderr, "error: Missing parameter 'since'. Expected: kind, since. Pass each with --param NAME=VALUE.\n")
    }

    func testAQueryThatWritesIsRefusedAndChangesNothing() throws {
        for statement in ["DELETE FROM records", "DROP VIEW failures", "UPDATE sources SET path = 'x'",
                          "INSERT INTO rejects (source_id, reason, excerpt) VALUES (1, 'x', 'y')"] {
            let path = try writeFile("write.sql", "-- name: sneaky\n-- params: none\n" + statement + ";\n")
            let run = try query(["--file", path])
            XCTAssertEqual(run.status, 2, statement)
            XCTAssertTrue(run.stderr.contains("would change the store, and queries are read-only"), run.stderr)
        }
        let count = try query(["evidence_by_kind", "--format", "csv"])
        XCTAssertTrue(count.stdout.contains("azure:storage:blob-log,6,1,"), count.stdout)
    }

    func testShowSQLAndUsageErrors() throws {
        let sql = try Mitrail.run(["query", "orphaned_role_assignments", "--show-sql"])
        XCTAssertEqual(sql.status, 0)
        XCTAssertTrue(sql.stdout.hasPrefix("-- name: orphaned_role_assignments\n"), sql.stdout)
        let nothing = try Mitrail.run(["query"])
        XCTAssertEqual(nothing.status, 2)
        XCTAssertTrue(nothing.stderr.contains("Please give a query name, --file PATH, or --list."), nothing.stderr)
        let both = try Mitrail.run(["query", "--list", "evidence_by_kind"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("Please give only one of"), both.stderr)
        let unreadable = try query(["--file", workspace.appendingPathComponent("missing.sql").path])
        XCTAssertEqual(unreadable.status, 2)
        XCTAssertTrue(unreadable.stderr.contains("Cannot read the query file"), unreadable.stderr)
    }
}
