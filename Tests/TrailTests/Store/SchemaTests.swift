import Foundation
import GRDB
import TrailStore
import XCTest

final class SchemaTests: XCTestCase {
    func newStorePath() -> String {
        TestPaths.temporaryDirectory().appendingPathComponent("store.db").path
    }

    /// The schema a fresh store gets is kept as a golden file: a change to it is a deliberate, reviewed change.
    func testSchemaMatchesGolden() throws {
        let store = try EvidenceStore(path: newStorePath(), mode: .readWrite)
        let schema = try store.schemaDump()
        let golden = TestPaths.golden.appendingPathComponent("schema.sql")
        if TestPaths.recordingGolden {
            try schema.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(schema, try String(contentsOf: golden, encoding: .utf8),
                       "the schema changed: add a migration (never edit a released one) and re-record with MITRAIL_RECORD_GOLDEN=1")
    }

    func testMigrationsAreNumberedInOrderWithoutGaps() {
        let versions = Migration.all.map(\.version)
        XCTAssertFalse(versions.isEmpty)
        // Numbers handed to branches not merged yet may be missing; the lead removes them from this list at merge.
        let reservedForOtherBranches: Set<Int> = [7, 8]
        let expected = Array(1...(versions.last ?? 0)).filter { !reservedForOtherBranches.contains($0) || versions.contains($0) }
        XCTAssertEqual(versions, expected)
        for migration in Migration.all {
            XCTAssertTrue(migration.name.range(of: #"^\d{4}_[a-z]+(_[a-z0-9]+)+$"#, options: .regularExpression) != nil,
                          "migration \(migration.name) is not named NNNN_verb_noun")
        }
    }

    func testOpeningTwiceAppliesNothingNew() throws {
        let path = newStorePath()
        let first = try EvidenceStore(path: path, mode: .readWrite)
        XCTAssertEqual(try first.schemaVersion(), Migration.latestVersion)
        let second = try EvidenceStore(path: path, mode: .readWrite)
        XCTAssertEqual(try second.schemaVersion(), Migration.latestVersion)
        let applied = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM schema_migrations") }
        XCTAssertEqual(applied, Migration.all.count)
    }

    func testStoreIsWALWithOwnerOnlyPermissions() throws {
        let path = newStorePath()
        let store = try EvidenceStore(path: path, mode: .readWrite)
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        // While the store is open its -wal and -shm exist; SQLite gives them the store's permissions.
        for file in [path, path + "-wal", path + "-shm"] {
            let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            XCTAssertEqual(permissions, 0o600, file)
        }
        withExtendedLifetime(store) {}
    }

    func testNewerStoreIsRefused() throws {
        let path = newStorePath()
        _ = try EvidenceStore(path: path, mode: .readWrite)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01T00:00:00.000Z')",
                           arguments: [Migration.latestVersion + 1])
        }
        for mode in [EvidenceStore.Mode.readWrite, .readOnly] {
            XCTAssertThrowsError(try EvidenceStore(path: path, mode: mode)) { error in
                XCTAssertEqual(error as? StoreError, .databaseTooNew(path: path, databaseVersion: Migration.latestVersion + 1, knownVersion: Migration.latestVersion))
                XCTAssertTrue((error as? StoreError)?.errorDescription?.contains("newer mitrail") ?? false)
            }
        }
    }

    func testForeignDatabaseIsRefused() throws {
        let path = newStorePath()
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        XCTAssertThrowsError(try EvidenceStore(path: path, mode: .readWrite)) { error in
            XCTAssertEqual(error as? StoreError, .notAMitrailDatabase(path: path))
        }
        let tables = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master") }
        XCTAssertEqual(tables, ["notes"], "a refused database must be left untouched")
    }

    func testReadOnlyStoreMustExist() {
        let path = newStorePath()
        XCTAssertThrowsError(try EvidenceStore(path: path, mode: .readOnly)) { error in
            XCTAssertEqual(error as? StoreError, .databaseMissing(path: path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testReadOnlyQueriesRefuseWrites() throws {
        let store = try EvidenceStore(path: newStorePath(), mode: .readWrite)
        for statement in ["DELETE FROM records", "DROP TABLE sources", "INSERT INTO rejects (source_id, reason, excerpt) VALUES (1, 'x', 'y')",
                          "UPDATE sources SET path = 'x'", "CREATE TABLE t (x)", "PRAGMA user_version = 3"] {
            XCTAssertThrowsError(try store.runReadOnly(sql: statement, columns: { _ in }, row: { _ in }), statement) { error in
                XCTAssertEqual(error as? StoreError, .writeRefused, statement)
            }
        }
        var rows: [[String]] = []
        try store.runReadOnly(sql: "SELECT :a AS a, 1 + 1 AS b", arguments: ["a": "x"], columns: { XCTAssertEqual($0, ["a", "b"]) },
                              row: { rows.append($0.map(\.displayText)) })
        XCTAssertEqual(rows, [["x", "2"]])
    }
}
