import Foundation
import GRDB
import XCTest

/// Runs the built `mitrail` binary on fixture evidence, as a user would.
final class IngestEndToEndTests: XCTestCase {
    var workspace: URL!
    var db: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    func fixture(_ format: String, _ name: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("formats/\(format)/\(name)")
    }

    func copy(_ source: URL, to name: String) throws -> URL {
        let target = workspace.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    func query<T: DatabaseValueConvertible>(_ sql: String, as type: T.Type = Int.self) throws -> [T] {
        try DatabaseQueue(path: db.path).read { try T.fetchAll($0, sql: sql) }
    }

    func testIngestsBothRoleAssignmentShapesAndAnAgentLogWithProvenance() throws {
        let evidence = workspace.appendingPathComponent("evidence")
        _ = try copy(fixture("azure-role-assignments", "az-cli-list.json"), to: "evidence/az-cli-list.json")
        _ = try copy(fixture("azure-role-assignments", "arm-list-value.json"), to: "evidence/rest/arm-list-value.json")
        _ = try copy(fixture("batch-agent-log", "agent-debug.log"), to: "evidence/tvmps_a1/agent-debug.log")

        let run = try Mitrail.run(["ingest", "--observed-at", "2026-03-04T14:05:00Z", evidence.path], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("ingested \(evidence.path)/az-cli-list.json as azure-role-assignments: read 2, stored 2, rejected 0, duplicate 0"), run.stdout)
        XCTAssertTrue(run.stdout.contains("as batch-agent-log: read 9, stored 9, rejected 0, duplicate 0"), run.stdout)
        XCTAssertTrue(run.stdout.contains("total: 3 files (3 ingested, 0 already ingested, 0 unrecognised, 0 unreadable); read 13, stored 13"), run.stdout)

        let sources = try DatabaseQueue(path: db.path).read { db in
            try Row.fetchAll(db, sql: "SELECT path, format, sha256, size, observed_at, observed_at_origin, status, tool_version FROM sources ORDER BY path")
        }
        XCTAssertEqual(sources.count, 3)
        for source in sources {
            XCTAssertEqual((source["sha256"] as String).count, 64)
            XCTAssertGreaterThan(source["size"] as Int, 0)
            XCTAssertEqual(source["observed_at"] as String, "2026-03-04T14:05:00.000Z")
            XCTAssertEqual(source["observed_at_origin"] as String, "option")
            XCTAssertEqual(source["status"] as String, "complete")
        }
        XCTAssertEqual(try query("SELECT count(*) FROM role_assignments"), [4])
        XCTAssertEqual(try query("SELECT pointer FROM role_assignments WHERE source LIKE '%arm-list-value.json' ORDER BY line", as: String.self), ["/value/0", "/value/1"])
        XCTAssertEqual(try query("SELECT line FROM role_assignments WHERE source LIKE '%az-cli-list.json' ORDER BY line"), [2, 18])
        XCTAssertEqual(try query("SELECT count(*) FROM agent_log_lines WHERE marker = 'TvmJoinPoolInProgress'"), [2])
        XCTAssertEqual(try query("SELECT node FROM agent_log_lines WHERE line = 4", as: String.self), ["tvmps_a1"])
        // Every record points at its source and line.
        XCTAssertEqual(try query("SELECT count(*) FROM records WHERE line IS NULL OR source_id NOT IN (SELECT id FROM sources)"), [0])
    }

    func testReingestingTheSameContentAddsNothing() throws {
        let file = try copy(fixture("azure-role-assignments", "az-cli-list.json"), to: "a.json")
        XCTAssertEqual(try Mitrail.run(["ingest", file.path], db: db).status, 0)
        let again = try Mitrail.run(["ingest", file.path], db: db)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("skipped \(file.path): already ingested as source #1"), again.stdout)
        XCTAssertTrue(again.stdout.contains("stored 0"), again.stdout)
        // The same records in a different file (another name, one more blank line) are duplicates, not new rows.
        let copyWithNewline = workspace.appendingPathComponent("b.json")
        try (try Data(contentsOf: file) + Data("\n".utf8)).write(to: copyWithNewline)
        let third = try Mitrail.run(["ingest", copyWithNewline.path, "--observed-at", "2026-03-04T12:00:00Z"], db: db)
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM sources"), [2])
        XCTAssertEqual(try query("SELECT count(*) FROM records"), [4], "a snapshot at another time is new evidence")
        let fourthFile = workspace.appendingPathComponent("c.json")
        try (try Data(contentsOf: copyWithNewline) + Data("\n".utf8)).write(to: fourthFile)
        let fourth = try Mitrail.run(["ingest", fourthFile.path, "--observed-at", "2026-03-04T12:00:00Z"], db: db)
        XCTAssertTrue(fourth.stdout.contains("read 2, stored 0, rejected 0, duplicate 2"), fourth.stdout)
        XCTAssertEqual(try query("SELECT count(*) FROM records"), [4])
    }

    func testMalformedRecordIsRejectedWithItsLineAndTheRestStored() throws {
        let file = try copy(fixture("azure-role-assignments", "bom-crlf-with-bad-records.json"), to: "bad.json")
        let run = try Mitrail.run(["ingest", file.path], db: db)
        XCTAssertEqual(run.status, 1, "rejected records exit 1")
        XCTAssertTrue(run.stderr.contains("read 4, stored 2, rejected 2, duplicate 0"), run.stderr)
        XCTAssertEqual(try query("SELECT line FROM rejects ORDER BY line"), [7, 11])
        XCTAssertEqual(try query("SELECT records_read - records_stored - records_rejected - records_duplicate FROM sources"), [0])
    }

    func testOneMalformedLineInJSONLines() throws {
        let file = workspace.appendingPathComponent("assignments.jsonl")
        let good = #"{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000f1"}"#
        try [good, #"{"principalId": "00000000-0000-0000-0000-0000000000a2", "roleDefin"#, good.replacingOccurrences(of: "a1", with: "a3")]
            .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let run = try Mitrail.run(["ingest", file.path], db: db)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(try query("SELECT line FROM rejects"), [2])
        XCTAssertEqual(try query("SELECT line FROM records ORDER BY line"), [1, 3])
    }

    func testUnrecognisedFileIsReportedWithTheFormatsTriedAndOthersGoOn() throws {
        let notes = workspace.appendingPathComponent("notes.txt")
        try "Customer says the pool is broken since Tuesday.\nPlease help.\n".write(to: notes, atomically: true, encoding: .utf8)
        let log = try copy(fixture("batch-agent-log", "agent-debug.log"), to: "agent-debug.log")
        let run = try Mitrail.run(["ingest", notes.path, log.path], db: db)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("error: \(notes.path): no format recognises this content"), run.stderr)
        XCTAssertTrue(run.stderr.contains("tried: "), run.stderr)
        XCTAssertTrue(run.stderr.contains("azure-role-assignments"), run.stderr)
        XCTAssertTrue(run.stderr.contains("batch-agent-log"), run.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM records"), [9])
    }

    func testMissingPathIsAnInputError() throws {
        let run = try Mitrail.run(["ingest", workspace.appendingPathComponent("nope.json").path], db: db)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("nope.json: No such file or directory"), run.stderr)
    }

    func testGzipAndStandardInput() throws {
        let log = try copy(fixture("batch-agent-log", "agent-debug.log"), to: "agent-debug.log")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", log.path]
        try gzip.run()
        gzip.waitUntilExit()
        try FileManager.default.removeItem(at: log)
        let gzipped = workspace.appendingPathComponent("agent-debug.log.gz")
        let run = try Mitrail.run(["ingest", gzipped.path], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("as batch-agent-log: read 9, stored 9"), run.stdout)

        let json = try Data(contentsOf: fixture("azure-role-assignments", "arm-put-single.json"))
        let piped = try Mitrail.run(["ingest", "-"], db: db, stdin: json)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.contains("ingested - as azure-role-assignments: read 1, stored 1"), piped.stdout)
        XCTAssertEqual(try query("SELECT observed_at_origin FROM sources WHERE path = '-'", as: String.self), ["none"])
    }

    func testTruncatedGzipKeepsWhatWasReadAndSaysSo() throws {
        var lines = ""
        for index in 0..<5_000 { lines += "2026-03-04T10:00:\(String(format: "%02d", index % 60)).\(String(format: "%03d", index % 1000))Z INFO nodeagent line \(index) health=Status.TvmJoinPoolInProgress\n" }
        let plain = workspace.appendingPathComponent("big.log")
        try lines.write(to: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let gzipped = workspace.appendingPathComponent("big.log.gz")
        let bytes = try Data(contentsOf: gzipped)
        try bytes.prefix(bytes.count / 2).write(to: gzipped)
        let run = try Mitrail.run(["ingest", gzipped.path], db: db)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("truncated"), run.stderr)
        let stored = try query("SELECT count(*) FROM records")[0]
        XCTAssertGreaterThan(stored, 100)
        XCTAssertLessThan(stored, 5_000)
    }

    func testSQLIsReadOnlyAndFormatsOutput() throws {
        let file = try copy(fixture("azure-role-assignments", "az-cli-list.json"), to: "a.json")
        XCTAssertEqual(try Mitrail.run(["ingest", file.path], db: db).status, 0)
        for statement in ["DELETE FROM records", "DROP TABLE sources", "UPDATE sources SET path = 'x'"] {
            let run = try Mitrail.run(["sql", statement], db: db)
            XCTAssertEqual(run.status, 2, statement)
            XCTAssertTrue(run.stderr.contains("read-only"), run.stderr)
        }
        XCTAssertEqual(try query("SELECT count(*) FROM records"), [2])
        let csv = try Mitrail.run(["sql", "--format", "csv", "SELECT principal_id, role_definition_name FROM role_assignments ORDER BY principal_id"], db: db)
        XCTAssertEqual(csv.stdout, "principal_id,role_definition_name\r\n00000000-0000-0000-0000-0000000000a1,Storage Blob Data Reader\r\n00000000-0000-0000-0000-0000000000a2,Storage Blob Data Contributor\r\n")
        let json = try Mitrail.run(["sql", "--format", "json", "SELECT count(*) AS n FROM timeline WHERE kind = :kind", "--param", "kind=azure:rbac:role-assignment"], db: db)
        XCTAssertEqual(json.stdout, "[\n  {\"n\": 2}\n]\n")
        let bad = try Mitrail.run(["sql", "SELEC nonsense"], db: db)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not valid"), bad.stderr)
    }

    func testSourcesListsWhatWasIngested() throws {
        let file = try copy(fixture("azure-role-assignments", "az-cli-list.json"), to: "a.json")
        XCTAssertEqual(try Mitrail.run(["ingest", file.path, "--observed-at", "2026-03-04T14:05:00+01:00"], db: db).status, 0)
        let run = try Mitrail.run(["sources", "--format", "csv"], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("id,path,format,observed_at,observed_at_origin,read,stored,rejected,duplicate,status,sha256,size,ingested_at,tool_version,command\r\n1,\(file.path),azure-role-assignments,2026-03-04T13:05:00.000Z,option,2,2,0,0,complete,"), run.stdout)
    }

    func testDefaultStoreComesFromTheEnvironment() throws {
        let file = try copy(fixture("azure-role-assignments", "az-cli-list.json"), to: "a.json")
        let storePath = workspace.appendingPathComponent("from-env.db")
        XCTAssertEqual(try Mitrail.run(["ingest", file.path], environment: ["MITRAIL_DB": storePath.path]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: storePath.path))
        XCTAssertEqual(try Mitrail.run(["ingest", file.path], currentDirectory: workspace).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("mitrail.db").path))
    }

    func testDemoIngestsTheBundledIncidentAndExplainsIt() throws {
        let run = try Mitrail.run(["demo"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("total: 8 files (8 ingested, 0 already ingested, 0 unrecognised, 0 unreadable)"), run.stdout)
        for code in ["node-identity-lacks-storage-role", "imds-identity-not-found", "imds-throttled"] {
            XCTAssertTrue(run.stdout.contains("[\(code)]"), "the demo should show \(code):\n\(run.stdout)")
        }
        XCTAssertTrue(run.stdout.contains("also: control-plane-role-only, rbac-propagation-delay"), run.stdout)
        XCTAssertTrue(run.stdout.contains("(2 failures came within its propagation window)"), run.stdout)
        let golden = TestPaths.golden.appendingPathComponent("demo.txt")
        if TestPaths.recordingGolden {
            try run.stdout.write(to: golden, atomically: true, encoding: .utf8)
        } else {
            XCTAssertEqual(run.stdout, try String(contentsOf: golden, encoding: .utf8), "the demo's output changed")
        }
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try Mitrail.run(["ingest"], db: db).status, 2)
        XCTAssertEqual(try Mitrail.run(["ingest", "--format", "nope", "x"], db: db).status, 2)
        let badTime = try Mitrail.run(["ingest", "--observed-at", "yesterday", "x"], db: db)
        XCTAssertEqual(badTime.status, 2)
        XCTAssertTrue(badTime.stderr.contains("Please give --observed-at as an ISO 8601 time"), badTime.stderr)
        XCTAssertEqual(try Mitrail.run(["frobnicate"]).status, 2)
        XCTAssertEqual(try Mitrail.run(["sources"], db: db).status, 2, "no store yet")
    }
}
