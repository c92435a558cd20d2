import Foundation
import GRDB
import XCTest

/// Real-world payload shapes through the built binary: what customers paste, export and attach,
/// and what `ingest` says of content no format reads.
final class ShapesEndToEndTests: XCTestCase {
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

    func write(_ text: String, to name: String) throws -> URL {
        let url = workspace.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func rows(_ sql: String) throws -> [[String?]] {
        try DatabaseQueue(path: db.path).read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { String.fromDatabaseValue($0) ?? ($0.isNull ? nil : "\($0)") } }
        }
    }

    /// Content nothing reads is reported with the formats closest to reading it and why each refused.
    func testUnrecognisedContentNamesTheClosestFormatsAndWhy() throws {
        // An App Service style body with its status misspelt: close to an endpoint body, read by nothing.
        let body = try write(#"{"status_code": 500, "message": "An unexpected error occured while fetching the AAD Token.", "correlationId": "00000000-0000-0000-0000-0000000000e1"}"#,
                             to: "body.json")
        let run = try Mitrail.run(["ingest", body.path], db: db)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("error: \(body.path): no format recognises this content"), run.stderr)
        let closest = run.stderr.components(separatedBy: "\n").first { $0.hasPrefix("  closest: ") } ?? ""
        XCTAssertTrue(closest.hasPrefix("  closest: imds-response-body: not a token endpoint body"), run.stderr)
        XCTAssertTrue(run.stderr.contains("  tried: "), run.stderr)

        let notes = try write("Customer says the pool is broken since Tuesday.\nPlease help.\n", to: "notes.txt")
        let prose = try Mitrail.run(["ingest", notes.path], db: db)
        XCTAssertEqual(prose.status, 2)
        XCTAssertFalse(prose.stderr.contains("it reads"), "no format should claim to read prose:\n\(prose.stderr)")
    }

    /// Pasted text becomes failure records of the service's kind, which explain diagnoses like the structured forms.
    func testPastedErrorTextIsReadAsFailures() throws {
        let run = try Mitrail.run(["ingest", fixture("pasted-error-text", "ticket-storage-403.txt").path,
                                   fixture("pasted-error-text", "powershell-invoke-webrequest.txt").path], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("as pasted-error-text: read 1, stored 1"), run.stdout)
        let failures = try rows("SELECT kind, code, principal_id, client_id, target FROM failures ORDER BY kind")
        XCTAssertEqual(failures, [
            ["azure:imds:token-response", "invalid_request", nil, "00000000-0000-0000-0000-0000000000c1", "https://vault.azure.net"],
            ["azure:storage:error", "AuthorizationPermissionMismatch", nil, nil, "https://stfixture.blob.core.windows.net/input/sample-001.csv"],
        ])
        let shapes = try rows("SELECT DISTINCT json_extract(fields, '$.shape') FROM records")
        XCTAssertEqual(shapes, [["free text"]])
        let explain = try Mitrail.run(["explain", "--format", "json"], db: db)
        XCTAssertTrue(explain.stdout.contains("imds-identity-not-found"), explain.stdout)
    }

    /// A task's upload log from its node directory: failures with the job and task its path names, and the container.
    func testFileUploadLogNamesTheTaskFromItsPath() throws {
        let folder = workspace.appendingPathComponent("node/tasks/workitems/job-fixture/job-1/task-003")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("fileuploaderr.txt")
        try FileManager.default.copyItem(at: fixture("batch-file-upload-log", "fileuploaderr-json-lines.txt"), to: log)
        let run = try Mitrail.run(["ingest", log.path], db: db)
        XCTAssertEqual(run.status, 1, "one binary line is rejected:\n\(run.stdout)\(run.stderr)")
        XCTAssertTrue(run.stderr.contains("as batch-file-upload-log: read 4, stored 3, rejected 1"), run.stderr)
        let failures = try rows("SELECT code, job, task, target FROM failures ORDER BY record_id")
        XCTAssertEqual(failures, [
            ["FileUploadMiscError", "job-fixture", "task-003", "https://stfixture.blob.core.windows.net/output/task-003/result.csv"],
            ["AuthorizationPermissionMismatch", "job-fixture", "task-003", nil],
        ])
        let secrets = try rows("SELECT count(*) FROM records WHERE raw LIKE '%FIXTURESIGNATURE%' OR fields LIKE '%FIXTURESIGNATURE%'")
        XCTAssertEqual(secrets, [["0"]], "the SAS signature is redacted")
    }
}
