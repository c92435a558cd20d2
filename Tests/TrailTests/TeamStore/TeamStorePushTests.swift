import Foundation
import TrailStore
import XCTest

/// `mitrail push` against a real PostgreSQL: idempotent, incremental, refusing a changed store or another
/// store's incident, with clear errors for a server it cannot reach or log in to; `incidents`, `--all-incidents`.
final class TeamStorePushTests: XCTestCase {
    var server: PostgresServer!
    var database: String!
    var workspace: URL!

    override func setUpWithError() throws {
        server = try PostgresServer.shared()
        database = try server.createDatabase(name)
        workspace = TestPaths.temporaryDirectory(name)
    }

    override func tearDownWithError() throws {
        if let workspace { try? FileManager.default.removeItem(at: workspace) }
    }

    /// Copies an incident's evidence into the workspace.
    func copyIncident(_ name: String) throws {
        let source = ExplainEndToEndTests.incidents.appendingPathComponent(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) where item != "incident.json" && item != "README.md" {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
        }
    }

    @discardableResult
    func mitrail(_ arguments: [String], environment: [String: String]? = nil) throws -> MitrailRun {
        try Mitrail.run(arguments, environment: environment ?? server.environment, currentDirectory: workspace)
    }

    /// A count in the team store, through the server's own psql.
    func count(_ table: String, incident: String) throws -> Int {
        Int(try server.psql(database: database, "SELECT count(*) FROM \"\(incident)\".\(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func sqliteCount(_ sql: String, db: String) throws -> Int {
        let run = try mitrail(["sql", sql, "--db", db, "--format", "csv"])
        return Int(run.stdout.split(whereSeparator: \.isNewline).last ?? "") ?? -1
    }

    func testRepushChangesNothingAndMoreIngestAddsOnlyTheNewSources() throws {
        try copyIncident("node-identity-lacks-storage-role")
        let manifest = try XCTUnwrap(try ExplainEndToEndTests.manifests().first { $0.0 == "node-identity-lacks-storage-role" }?.1)
        XCTAssertGreaterThan(manifest.ingest.count, 1)
        func ingest(_ step: ExplainEndToEndTests.Manifest.Step) throws {
            let run = try mitrail(["ingest", "--db", "case.db"] + step.paths + (step.observedAt.map { ["--observed-at", $0] } ?? []))
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try ingest(manifest.ingest[0])
        let url = server.url(database: database)

        let first = try mitrail(["push", "--db", "case.db", "--to", url])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("created incident case: added"), first.stdout)
        let records = try sqliteCount("SELECT count(*) FROM records", db: "case.db")
        XCTAssertGreaterThan(records, 0)
        XCTAssertEqual(try count("records", incident: "case"), records)
        XCTAssertTrue(first.stdout.contains("\(records) record"), first.stdout)

        let again = try mitrail(["push", "--db", "case.db", "--to", url])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("incident case: nothing new"), again.stdout)
        XCTAssertEqual(try count("records", incident: "case"), records)
        XCTAssertEqual(try count("team_pushes", incident: "case"), 1, "a push that adds nothing leaves no trace")

        for step in manifest.ingest.dropFirst() { try ingest(step) }
        let allRecords = try sqliteCount("SELECT count(*) FROM records", db: "case.db")
        let allSources = try sqliteCount("SELECT count(*) FROM sources", db: "case.db")
        let sourcesBefore = try count("sources", incident: "case")
        let grown = try mitrail(["push", "--db", "case.db", "--to", url])
        XCTAssertEqual(grown.status, 0, grown.stderr)
        XCTAssertTrue(grown.stdout.contains("added \(allSources - sourcesBefore) source"), grown.stdout)
        XCTAssertTrue(grown.stdout.contains("and \(allRecords - records) record"), grown.stdout)
        XCTAssertTrue(grown.stdout.contains("(\(sourcesBefore) already pushed)"), grown.stdout)
        XCTAssertEqual(try count("records", incident: "case"), allRecords)
        XCTAssertEqual(try count("sources", incident: "case"), allSources)
        XCTAssertEqual(try count("names", incident: "case"), try sqliteCount("SELECT count(*) FROM names", db: "case.db"))

        let verify = try mitrail(["verify", "--db", server.url(database: database, incident: "case")])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let local = try mitrail(["explain", "--format", "json", "--db", "case.db"])
        let team = try mitrail(["explain", "--format", "json", "--db", server.url(database: database, incident: "case")])
        XCTAssertEqual(team.stdout, local.stdout)
    }

    func testAChangedStoreIsRefused() throws {
        try copyIncident("storage-data-role-missing")
        XCTAssertEqual(try mitrail(["ingest", "--db", "case.db", "identity.json", "role-assignments.json", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [workspace.appendingPathComponent("case.db").path, "UPDATE records SET raw = raw || ' ' WHERE id = 2"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let push = try mitrail(["push", "--db", "case.db", "--to", server.url(database: database)])
        XCTAssertEqual(push.status, 1)
        XCTAssertTrue(push.stderr.contains("no longer holds what was ingested"), push.stderr)
        XCTAssertTrue(push.stderr.contains("record #2 was changed"), push.stderr)
        let incidents = try mitrail(["incidents", "--db", server.url(database: database), "--format", "csv"])
        XCTAssertEqual(incidents.stdout.split(whereSeparator: \.isNewline).count, 1, "nothing was pushed: \(incidents.stdout)")
    }

    func testAnotherStoreIsNotPushedIntoAnIncident() throws {
        try copyIncident("storage-data-role-missing")
        XCTAssertEqual(try mitrail(["ingest", "--db", "a.db", "identity.json", "role-assignments.json", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        XCTAssertEqual(try mitrail(["ingest", "--db", "b.db", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        let url = server.url(database: database)
        XCTAssertEqual(try mitrail(["push", "--db", "a.db", "--to", url, "--incident", "shared"]).status, 0)
        let other = try mitrail(["push", "--db", "b.db", "--to", url, "--incident", "shared"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("was pushed from another store"), other.stderr)
        XCTAssertTrue(other.stderr.contains("--incident NEWNAME"), other.stderr)
    }

    func testIncidentsAndQueriesAcrossAllIncidents() throws {
        try copyIncident("storage-data-role-missing")
        XCTAssertEqual(try mitrail(["ingest", "--db", "alpha.db", "identity.json", "role-assignments.json", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        XCTAssertEqual(try mitrail(["ingest", "--db", "beta.db", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        let url = server.url(database: database)
        for store in ["alpha.db", "beta.db"] { XCTAssertEqual(try mitrail(["push", "--db", store, "--to", url]).status, 0) }

        let listing = try mitrail(["incidents", "--db", url, "--format", "json"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let incidents = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(incidents.map { $0["incident"] as? String }, ["alpha", "beta"])
        for (incident, store) in zip(incidents, ["alpha.db", "beta.db"]) {
            XCTAssertEqual(incident["records"] as? Int, try sqliteCount("SELECT count(*) FROM records", db: store))
            XCTAssertEqual(incident["sources"] as? Int, try sqliteCount("SELECT count(*) FROM sources", db: store))
            let first = try mitrail(["sql", "SELECT min(time) FROM records", "--db", store, "--format", "csv"]).stdout.split(whereSeparator: \.isNewline).last
            XCTAssertEqual(incident["first_time"] as? String, first.map(String.init))
        }

        let across = try mitrail(["query", "evidence_by_kind", "--db", url, "--all-incidents", "--format", "csv"])
        XCTAssertEqual(across.status, 0, across.stderr)
        var expected = ["incident,kind,records,sources,first_time,last_time"]
        for (incident, store) in [("alpha", "alpha.db"), ("beta", "beta.db")] {
            let rows = try mitrail(["query", "evidence_by_kind", "--db", store, "--format", "csv"]).stdout.split(whereSeparator: \.isNewline).dropFirst()
            expected += rows.map { incident + "," + $0 }
        }
        XCTAssertEqual(across.stdout.split(whereSeparator: \.isNewline).map(String.init), expected)

        let withParameter = try mitrail(["query", "failures_by_code_per_hour", "--db", url, "--all-incidents",
                                         "--param", "since=2026-03-04T10:00:00Z", "--format", "csv"])
        XCTAssertEqual(withParameter.status, 0, withParameter.stderr)
        XCTAssertTrue(withParameter.stdout.hasPrefix("incident,hour,kind,code,"), withParameter.stdout)
        let refused = try mitrail(["query", "evidence_by_kind", "--db", "alpha.db", "--all-incidents"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("--all-incidents"), refused.stderr)
    }

    func testServersItCannotReachOrLogInToAreClearErrors() throws {
        try copyIncident("storage-data-role-missing")
        XCTAssertEqual(try mitrail(["ingest", "--db", "case.db", "storage", "--observed-at", "2026-03-04T12:00:00Z"]).status, 0)
        let closedPort = try PostgresServer.freePort()
        let unreachable = try mitrail(["push", "--db", "case.db", "--to", "postgres://\(PostgresServer.user)@127.0.0.1:\(closedPort)/\(database!)"])
        XCTAssertEqual(unreachable.status, 2)
        XCTAssertTrue(unreachable.stderr.contains("Cannot reach the team store at 127.0.0.1:\(closedPort)"), unreachable.stderr)

        let badURL = try mitrail(["push", "--db", "case.db", "--to", "postgres://teamdb"])
        XCTAssertEqual(badURL.status, 2)
        XCTAssertTrue(badURL.stderr.contains("postgres://USER@HOST[:PORT]/DATABASE"), badURL.stderr)

        let secret = "n0t-" + UUID().uuidString
        let inURL = try mitrail(["push", "--db", "case.db", "--to", "postgres://\(PostgresServer.user):\(secret)@127.0.0.1:\(server.port)/\(database!)"])
        XCTAssertEqual(inURL.status, 2)
        XCTAssertTrue(inURL.stderr.contains("PGPASSWORD"), inURL.stderr)
        XCTAssertFalse(inURL.stderr.contains(secret) || inURL.stdout.contains(secret))

        let wrong = try mitrail(["push", "--db", "case.db", "--to", server.url(database: database)], environment: ["PGPASSWORD": secret])
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("refused user \(PostgresServer.user)"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains(secret) || wrong.stdout.contains(secret))

        let home = workspace.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let none = try mitrail(["push", "--db", "case.db", "--to", server.url(database: database)], environment: ["HOME": home.path, "PGPASSWORD": ""])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("asks for a password"), none.stderr)

        let passwordFile = home.appendingPathComponent(".pgpass")
        try "127.0.0.1:\(server.port):\(database!):\(PostgresServer.user):\(server.password)\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let withFile = try mitrail(["push", "--db", "case.db", "--to", server.url(database: database)], environment: ["HOME": home.path, "PGPASSWORD": ""])
        XCTAssertEqual(withFile.status, 0, withFile.stderr)
        XCTAssertFalse(withFile.stdout.contains(server.password) || withFile.stderr.contains(server.password))

        let missing = try mitrail(["explain", "--db", server.url(database: database, incident: "nosuch")])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no incident 'nosuch'. Known: case"), missing.stderr)
        let writes = try mitrail(["ingest", "storage", "--db", server.url(database: database, incident: "case")])
        XCTAssertEqual(writes.status, 2)
        XCTAssertTrue(writes.stderr.contains("works on an SQLite store"), writes.stderr)
    }
}
