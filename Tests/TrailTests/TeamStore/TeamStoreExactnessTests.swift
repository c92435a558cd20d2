import Foundation
import XCTest

/// Text PostgreSQL refuses (a NUL byte in a log line) round-trips through the team store: a stand-in in the
/// column, the value itself in exact_values, and the record chain recomputed from PostgreSQL verifies; a change
/// to either is found. Times keep their milliseconds.
final class TeamStoreExactnessTests: XCTestCase {
    var server: PostgresServer!
    var database: String!
    var workspace: URL!

    override func setUpWithError() throws {
        server = try PostgresServer.shared()
        database = try server.createDatabase(name)
        workspace = TestPaths.temporaryDirectory(name)
        let log = "2026-03-04T10:00:00.007Z [INFO] agent started\n"
            + "2026-03-04T10:00:01.120Z [WARN] odd byte \u{0} here, health=Status.TvmJoinPoolInProgress\n"
            + "1969-12-31T23:59:59.999Z [INFO] a clock before 1970\n"
        try Data(log.utf8).write(to: workspace.appendingPathComponent("agent-debug.log"))
    }

    override func tearDownWithError() throws {
        if let workspace { try? FileManager.default.removeItem(at: workspace) }
    }

    func mitrail(_ arguments: [String]) throws -> MitrailRun {
        try Mitrail.run(arguments, environment: server.environment, currentDirectory: workspace)
    }

    func testANulByteRoundTripsAndTheChainVerifiesOnPostgreSQL() throws {
        XCTAssertEqual(try mitrail(["ingest", "--db", "nul.db", "agent-debug.log"]).status, 0)
        let local = try mitrail(["verify", "--db", "nul.db"])
        XCTAssertEqual(local.status, 0, "the SQLite store verifies a record with a NUL byte: " + local.stdout)

        let push = try mitrail(["push", "--db", "nul.db", "--to", server.url(database: database)])
        XCTAssertEqual(push.status, 0, push.stderr)
        XCTAssertTrue(push.stdout.contains("1 value PostgreSQL cannot hold as SQLite has it"), push.stdout)
        let standIn = try server.psql(database: database, "SELECT raw FROM nul.records WHERE id = 2")
        XCTAssertTrue(standIn.contains("odd byte \u{2400} here"), standIn)
        let exact = try server.psql(database: database, """
            SELECT table_name, row_id, column_name, sqlite_type, position('\\x00'::bytea IN value), convert_from(substring(value FROM 1 FOR 41), 'UTF8')
            FROM nul.exact_values
            """)
        XCTAssertEqual(exact.trimmingCharacters(in: .newlines), "records|2|raw|text|42|2026-03-04T10:00:01.120Z [WARN] odd byte ")

        let url = server.url(database: database, incident: "nul")
        let verified = try mitrail(["verify", "--db", url])
        XCTAssertEqual(verified.status, 0, verified.stdout)
        XCTAssertTrue(verified.stdout.contains("as ingested"), verified.stdout)

        // Times keep their milliseconds, before 1970 too, as SQLite shows them.
        for arguments in [["timeline", "--format", "json"], ["query", "timeline_window", "--param", "since=1969-12-31", "--param", "until=2026-03-05",
                                                              "--format", "json"]] {
            let sqlite = try mitrail(arguments + ["--db", "nul.db"])
            let team = try mitrail(arguments + ["--db", url])
            XCTAssertEqual(team.status, 0, team.stderr)
            for time in ["2026-03-04T10:00:00.007Z", "2026-03-04T10:00:01.120Z", "1969-12-31T23:59:59.999Z"] {
                XCTAssertTrue(team.stdout.contains(time), "\(arguments): \(time) in \(team.stdout)")
            }
            // The same output but for the line of the NUL byte: SQLite's text functions (substr, replace, ||) end a
            // text at its NUL, the team store shows the stand-in and the rest.
            func withoutNULRecord(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.contains("odd byte") } }
            XCTAssertEqual(withoutNULRecord(team.stdout), withoutNULRecord(sqlite.stdout), "\(arguments)")
            XCTAssertTrue(team.stdout.contains("odd byte \u{2400} here"), team.stdout)
        }

        try server.psql(database: database, "UPDATE nul.exact_values SET value = value || '\\x20'::bytea")
        let changedExact = try mitrail(["verify", "--db", url])
        XCTAssertEqual(changedExact.status, 1)
        XCTAssertTrue(changedExact.stdout.contains("record #2 was changed"), changedExact.stdout)
        try server.psql(database: database, "UPDATE nul.exact_values SET value = substring(value FROM 1 FOR length(value) - 1)")
        XCTAssertEqual(try mitrail(["verify", "--db", url]).status, 0)

        try server.psql(database: database, "UPDATE nul.records SET raw = raw || '!' WHERE id = 1")
        let changedRecord = try mitrail(["verify", "--db", url])
        XCTAssertEqual(changedRecord.status, 1)
        XCTAssertTrue(changedRecord.stdout.contains("record #1 was changed"), changedRecord.stdout)
        try server.psql(database: database, "DELETE FROM nul.records WHERE id = 3")
        XCTAssertTrue(try mitrail(["verify", "--db", url]).stdout.contains("1 record deleted"))
    }
}
