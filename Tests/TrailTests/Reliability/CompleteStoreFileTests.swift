import Foundation
import GRDB
import XCTest

/// A store file is complete when a writing command ends: a byte copy of the .db alone (without its -wal)
/// and an immutable read-only open of it hold every record, or the command said why not, and
/// `mitrail export` then writes a single file that does.
final class CompleteStoreFileTests: XCTestCase {
    var workspace: URL!
    var db: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent("demo/evidence"), to: workspace.appendingPathComponent("evidence"))
        let first = try Mitrail.run(["ingest", "evidence/batch", "--observed-at", "2026-03-04T11:00:00Z"], db: db, currentDirectory: workspace)
        XCTAssertEqual(first.status, 0, first.stderr)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    /// Records as a normal connection sees them (store file and -wal file together).
    func recordCount(_ url: URL) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: url.path, configuration: configuration).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") ?? -1 }
    }

    /// Records in the file alone: a byte copy of it, with no -wal beside it, opened immutable.
    func recordsInFileAlone(_ url: URL) throws -> Int {
        let copy = workspace.appendingPathComponent("copy-\(UUID().uuidString.prefix(6)).db")
        try FileManager.default.copyItem(at: url, to: copy)
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: "file:\(copy.path)?immutable=1", configuration: configuration).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM records") ?? -1
        }
    }

    func walSize() -> Int {
        (try? FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int) ?? 0
    }

    func testIngestWhileAReaderHoldsATransactionSaysSoAndExportHasEveryRecord() throws {
        // Another program (here a connection of this process) reads the store inside a transaction.
        var configuration = Configuration()
        configuration.readonly = true
        configuration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: db.path, configuration: configuration)
        let seenByReader = try reader.inDatabase { db -> Int in
            try db.execute(sql: "BEGIN DEFERRED")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? -1
        }
        let ingest = try Mitrail.run(["ingest", "evidence", "--observed-at", "2026-03-04T11:00:00Z"], db: db, currentDirectory: workspace)
        XCTAssertEqual(ingest.status, 0, "the note does not change the exit status: \(ingest.stderr)")
        let total = try recordCount(db)
        XCTAssertGreaterThan(total, seenByReader)
        // The reader's snapshot predates the ingest, so no checkpoint may copy the new pages into the file: the command says so.
        XCTAssertLessThan(try recordsInFileAlone(db), total)
        XCTAssertTrue(ingest.stderr.contains("does not hold every record yet"), ingest.stderr)
        XCTAssertTrue(ingest.stderr.contains("mitrail export"), ingest.stderr)

        // export writes one complete file while the reader still holds the store.
        let exported = workspace.appendingPathComponent("sent.db")
        let export = try Mitrail.run(["export", exported.path], db: db)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("\(total) records"), export.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: exported.path + "-wal"))
        XCTAssertEqual(try recordsInFileAlone(exported), total)
        XCTAssertEqual(try sqliteShell(exported, "SELECT count(*) FROM records"), "\(total)")
        XCTAssertEqual(try sqliteShell(exported, "PRAGMA journal_mode"), "delete", "the copy needs no -wal or -shm file")
        let attributes = try FileManager.default.attributesOfItem(atPath: exported.path)
        XCTAssertEqual((attributes[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o600, "the copy is readable by its owner only")
        let verify = try Mitrail.run(["verify"], db: exported)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        // Once the reader is gone, the next writing command completes the file itself.
        try reader.inDatabase { try $0.execute(sql: "COMMIT") }
        try reader.close()
        let again = try Mitrail.run(["ingest", "evidence", "-q"], db: db, currentDirectory: workspace)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("does not hold every record"), again.stderr)
        XCTAssertEqual(walSize(), 0, "the -wal file is emptied")
        XCTAssertEqual(try recordsInFileAlone(db), total)
    }

    func testIngestWhileAnotherProgramOnlyHasTheStoreOpenLeavesTheFileComplete() throws {
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: db.path, configuration: configuration)
        _ = try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") }
        let ingest = try Mitrail.run(["ingest", "evidence", "--observed-at", "2026-03-04T11:00:00Z"], db: db, currentDirectory: workspace)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertFalse(ingest.stderr.contains("does not hold every record"), ingest.stderr)
        XCTAssertEqual(walSize(), 0, "the -wal file is emptied")
        let total = try recordCount(db)
        XCTAssertEqual(try recordsInFileAlone(db), total)
        XCTAssertEqual(try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") }, total, "the open reader sees everything")
        try reader.close()
    }

    func testExportRefusesToOverwriteUnlessForcedAndNeverTheStoreItself() throws {
        let target = workspace.appendingPathComponent("out.db")
        try Data("keep me".utf8).write(to: target)
        let refused = try Mitrail.run(["export", target.path], db: db)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("exists already") && refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "keep me")
        let forced = try Mitrail.run(["export", "--force", target.path], db: db)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try recordsInFileAlone(target), try recordCount(db))
        let ontoStore = try Mitrail.run(["export", "--force", db.path], db: db)
        XCTAssertEqual(ontoStore.status, 2)
        XCTAssertTrue(ontoStore.stderr.contains("is the store itself"), ontoStore.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.path).filter { $0.contains("mitrail-export") }
        XCTAssertEqual(leftovers, [], "no temporary copy is left behind")
    }

    func testExportOfAStoreChangedSinceIngestSaysSoAndExitsOne() throws {
        try DatabaseQueue(path: db.path).write { db in
            try db.execute(sql: "UPDATE records SET raw = raw || ' ' WHERE id = (SELECT min(id) FROM records)")
        }
        let target = workspace.appendingPathComponent("changed.db")
        let export = try Mitrail.run(["export", target.path], db: db)
        XCTAssertEqual(export.status, 1, export.stdout + export.stderr)
        XCTAssertTrue(export.stdout.contains("problem: source #1") && export.stdout.contains("was changed"), export.stdout)
        XCTAssertEqual(try Mitrail.run(["verify"], db: target).status, 1, "the copy holds the same change")
    }

    func testSourcesAndReportSayWhichStoreFileTheyRead() throws {
        for arguments in [["sources"], ["sources", "--format", "json"], ["report", "--format", "markdown"]] {
            let run = try Mitrail.run(arguments, db: db)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains("store: \(db.standardizedFileURL.path)"), "\(arguments): \(run.stderr)")
        }
    }

    /// Runs the plain `sqlite3` shell on a file: what SQLite itself (not mitrail) sees.
    func sqliteShell(_ url: URL, _ sql: String) throws -> String {
        let shell = try XCTUnwrap(["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }, "the sqlite3 shell is needed (apt-get install sqlite3; .ci/run installs it)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-readonly", url.path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
