import GRDB
import TrailModel
@testable import TrailStore
import XCTest

/// Migration 0008 rebuilds `sources` (a CHECK constraint cannot change in place): a store written before it
/// keeps every source, record and reject, its foreign keys still cascade (rejects; records have none since store
/// v2, 0010), and sources take the collector's origin and command line.
final class SourceRebuildMigrationTests: XCTestCase {
    /// A store at schema version 6 (before the rebuild) with two sources, records and a reject.
    func storeBeforeTheRebuild() throws -> String {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("store.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA application_id = \(Migrator.applicationID)")
            try db.execute(sql: Migrator.ledgerSQL)
            for migration in Migration.all where migration.version <= 6 {
                try db.execute(sql: migration.sql)
                try db.execute(sql: "INSERT INTO schema_migrations VALUES (?, ?, '2026-03-04T00:00:00.000Z')",
                               arguments: [migration.version, migration.name])
            }
            try db.execute(sql: """
                INSERT INTO sources (id, path, sha256, size, format, observed_at, observed_at_origin, ingested_at, tool_version, status, records_read, records_stored)
                VALUES (1, 'bundle.zip', 'aa', 10, 'zip-archive', NULL, 'mtime', '2026-03-04T00:00:00.000Z', '0.1.0', 'complete', 0, 0),
                       (2, 'bundle.zip!a.json', 'bb', 5, 'azure-role-assignments', '2026-03-04T10:00:00.000Z', 'option',
                        '2026-03-04T00:00:00.000Z', '0.1.0', 'complete', 2, 2);
                UPDATE sources SET parent_id = 1 WHERE id = 2;
                INSERT INTO records (source_id, kind, line, time, time_origin, raw, digest)
                VALUES (2, 'azure:rbac:role-assignment', 1, '2026-03-04T10:00:00.000Z', 'snapshot', 'one', x'01'),
                       (2, 'azure:rbac:role-assignment', 2, '2026-03-04T10:00:00.000Z', 'snapshot', 'two', x'02');
                INSERT INTO rejects (source_id, line, reason, excerpt) VALUES (2, 3, 'bad', 'x');
                """)
        }
        return path
    }

    func testRebuildKeepsEverythingAndTakesTheCollectorOrigin() throws {
        let path = try storeBeforeTheRebuild()
        let store = try EvidenceStore(path: path, mode: .readWrite)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        let counts = try store.queue.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM sources"), try Int.fetchOne(db, sql: "SELECT count(*) FROM records"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects")]
        }
        XCTAssertEqual(counts, [2, 2, 1])
        let summary = try store.sources()
        XCTAssertEqual(summary.map(\.observedAtOrigin), ["mtime", "option"])
        XCTAssertEqual(summary.map(\.parentID), [nil, 1])
        XCTAssertEqual(summary.map(\.command), [nil, nil])
        try store.queue.read { db in
            XCTAssertNil(try Row.fetchOne(db, sql: "PRAGMA foreign_key_check"))
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1, "foreign keys are on again after the rebuild")
        }

        let writer = try SourceWriter(store: store, source: SourceDescriptor(
            path: "bundle.zip!rbac/b.json", sha256: "cc", size: 3, format: "azure-role-assignments",
            observedAt: Timestamp(millisecondsSince1970: 1_772_618_400_000), observedAtOrigin: .collector,
            command: ["az", "role", "assignment", "list", "--scope", "/subscriptions/x y"]), toolVersion: "test")
        try writer.finish()
        let collected = try XCTUnwrap(try store.sources().last)
        XCTAssertEqual(collected.observedAtOrigin, "collector")
        XCTAssertEqual(collected.command, ["az", "role", "assignment", "list", "--scope", "/subscriptions/x y"])
        let viewCommand = try store.queue.read { try String.fetchOne($0, sql: "SELECT command FROM source_summary WHERE id = ?", arguments: [collected.id]) }
        XCTAssertEqual(viewCommand, #"["az","role","assignment","list","--scope","/subscriptions/x y"]"#)

        // Deleting a source still cascades to its entries and their rejects; records carry no foreign key since
        // store v2 (0010: a lookup per insert), mitrail removes a source's records by their id range.
        try store.queue.write { try $0.execute(sql: "DELETE FROM sources WHERE id = 1") }
        let left = try store.queue.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM sources"), try Int.fetchOne(db, sql: "SELECT count(*) FROM records"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects")]
        }
        XCTAssertEqual(left, [1, 2, 0])
    }

    /// Read-only commands never migrate, and since store v2 they refuse a store written before it (its views read
    /// another layout), saying how to upgrade it; the store is left as it was.
    func testAStoreBeforeTheRebuildIsRefusedReadOnlyWithTheUpgradeCommand() throws {
        let path = try storeBeforeTheRebuild()
        XCTAssertThrowsError(try EvidenceStore(path: path, mode: .readOnly)) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("mitrail upgrade --db") == true, "\(error)")
        }
        let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT max(version) FROM schema_migrations") }
        XCTAssertEqual(version, 6)
    }

    func testAnUnknownOriginIsStillRefused() throws {
        let store = try EvidenceStore(path: try storeBeforeTheRebuild(), mode: .readWrite)
        XCTAssertThrowsError(try store.queue.write { try $0.execute(sql: "UPDATE sources SET observed_at_origin = 'guess' WHERE id = 2") })
    }

    func testOnlyTheRebuildMigrationRunsWithForeignKeysOff() {
        XCTAssertEqual(Migration.all.filter(\.rebuildsTables).map(\.version), [8])
    }

    func testCommandLinesReadBackAsTheSameArguments() {
        XCTAssertEqual(SourceCommand.shellLine(["az", "monitor", "log-analytics", "query", "--analytics-query", "T | where X == 'y'", ""]),
                       #"az monitor log-analytics query --analytics-query 'T | where X == '\''y'\''' ''"#)
        XCTAssertEqual(SourceCommand.arguments(json: SourceCommand.json(["a b", "c\"d", "/x/y"])), ["a b", "c\"d", "/x/y"])
        XCTAssertNil(SourceCommand.arguments(json: #"{"not": "a list"}"#))
    }
}
