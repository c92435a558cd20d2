import Foundation
import GRDB
import TrailStore
import XCTest

/// `mitrail verify`: each source's content hash against the file still on disk, and the record chain
/// against rows changed, added or deleted outside mitrail (edited here with the sqlite3 CLI).
final class VerifyTests: XCTestCase {
    var workspace: URL!
    var db: URL!
    var assignments: URL!
    var log: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        assignments = workspace.appendingPathComponent("az-cli-list.json")
        log = workspace.appendingPathComponent("agent-debug.log")
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("formats/azure-role-assignments/az-cli-list.json"), to: assignments)
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("formats/batch-agent-log/agent-debug.log"), to: log)
        let run = try Mitrail.run(["ingest", assignments.path, log.path], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    /// Runs one statement with the sqlite3 command-line shell, as someone editing the store by hand would.
    func sqlite3(_ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db.path, statement]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "sqlite3 (apt-get install sqlite3): " + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    func recordID(line: Int, of file: URL) throws -> String {
        let run = try Mitrail.run(["sql", "--format", "csv", "SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = :p AND r.line = :l",
                                   "--param", "p=\(file.path)", "--param", "l=\(line)"], db: db)
        return String(run.stdout.split(separator: "\r\n").dropFirst().first ?? "")
    }

    func testAnUntouchedStoreVerifies() throws {
        let run = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("verify: 2 sources, all as ingested"), run.stdout)
    }

    /// A record whose text holds a NUL byte (a log padded after a crash) verifies, and a change after its NUL is found.
    func testARecordWithANulByteVerifies() throws {
        let padded = workspace.appendingPathComponent("padded.log")
        try Data(("2026-03-04T10:00:00.000Z [INFO] agent started\n2026-03-04T10:00:01.120Z [WARN] before \u{0} after\n"
                  + "2026-03-04T10:00:02.000Z [INFO] done\n").utf8).write(to: padded)
        let ingest = try Mitrail.run(["ingest", "--format", "batch-agent-log", padded.path], db: db)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let run = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let id = try recordID(line: 2, of: padded)
        try sqlite3("UPDATE records SET raw = CAST(replace(CAST(raw AS BLOB), CAST('after' AS BLOB), CAST('later' AS BLOB)) AS TEXT) WHERE id = \(id)")
        let changed = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(changed.status, 1, changed.stdout)
        XCTAssertTrue(changed.stdout.contains("record #\(id) was changed"), changed.stdout)
    }

    func testAnEditedRecordIsNamed() throws {
        let id = try recordID(line: 4, of: log)
        try sqlite3("UPDATE records SET raw = raw || ' (edited)' WHERE id = \(id)")
        let run = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("\(log.path)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("record #\(id) was changed"), run.stdout)
        let csv = try Mitrail.run(["verify", "--format", "csv"], db: db).stdout
        XCTAssertTrue(csv.contains("\(assignments.path),unchanged,as ingested"), csv)
    }

    func testDeletedAndAddedRecordsAreNamed() throws {
        let deleted = try recordID(line: 18, of: assignments)
        try sqlite3("DELETE FROM records WHERE id = \(deleted)")
        let someOfLog = try recordID(line: 4, of: log)
        try sqlite3("INSERT INTO records (source_id, kind_id, line, time_ms, time_origin_code, fields, raw, digest) SELECT source_id, kind_id, 99, time_ms, time_origin_code, fields, 'forged', random() FROM records WHERE id = \(someOfLog)")
        let forged = try recordID(line: 99, of: log)
        let run = try Mitrail.run(["verify", "--format", "csv"], db: db)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("\(assignments.path)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("1 record deleted"), run.stdout)
        XCTAssertTrue(run.stdout.contains("record #\(forged) was added"), run.stdout)
    }

    func testChangedAndMissingFilesAreReported() throws {
        try "changed".write(to: assignments, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: log)
        let run = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("changed since ingest"), run.stdout)
        XCTAssertTrue(run.stdout.contains("not checked: the file is gone"), run.stdout)
    }

    func testAnInterruptedIngestIsNamedAndOneInProgressIsNot() throws {
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        try sqlite3("UPDATE sources SET status = 'ingesting', ingest_pid = \(finished.processIdentifier) WHERE path = '\(log.path)'")
        let interrupted = try Mitrail.run(["verify", "--format", "csv"], db: db)
        XCTAssertEqual(interrupted.status, 1, interrupted.stdout + interrupted.stderr)
        XCTAssertTrue(interrupted.stdout.contains("\(log.path),unchanged,incomplete: its ingest was interrupted"), interrupted.stdout)
        try sqlite3("UPDATE sources SET ingest_pid = \(getpid()) WHERE path = '\(log.path)'")
        let running = try Mitrail.run(["verify", "--format", "csv"], db: db)
        XCTAssertEqual(running.status, 0, running.stdout + running.stderr)
        XCTAssertTrue(running.stdout.contains("\(log.path),unchanged,not checked: being ingested right now"), running.stdout)
    }
}
