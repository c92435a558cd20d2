import GRDB

/// One numbered schema change, from `migrations/NNNN_verb_noun.sql`.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    /// Every migration embedded in the binary, in version order.
    public static let all: [Migration] = EmbeddedFiles.all.compactMap { file in
        guard file.name.hasPrefix("migrations/"), file.name.hasSuffix(".sql") else { return nil }
        let name = String(file.name.dropFirst("migrations/".count).dropLast(".sql".count))
        // migrations/postgres/ holds the team store's PostgreSQL schema, not SQLite migrations.
        guard !name.contains("/") else { return nil }
        guard let version = Int(name.prefix { $0.isNumber }) else { return nil }
        return Migration(version: version, name: name, sql: file.text)
    }.sorted { $0.version < $1.version }

    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// True for a migration that rebuilds a table (`-- mitrail-migration: rebuilds-tables` on a line of its
    /// own): it runs with foreign keys off, so that dropping the old table cascades to nothing, and must leave
    /// no foreign key violation behind.
    public var rebuildsTables: Bool {
        sql.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "-- mitrail-migration: rebuilds-tables" }
    }
}

/// Applies the embedded migrations, each in its own transaction, and refuses stores it cannot read.
enum Migrator {
    /// `PRAGMA application_id` of every mitrail store: "mitr" in ASCII.
    static let applicationID: Int32 = 0x6D69_7472

    static let ledgerSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    static func appliedVersion(_ db: Database) throws -> Int {
        guard try db.tableExists("schema_migrations") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0
    }

    /// Refuses a database that is not a mitrail store, or that a newer mitrail wrote; opened read-only (`mustBeCurrent`), also
    /// one an earlier mitrail wrote, which only a writing command can upgrade.
    static func checkCompatible(_ db: Database, path: String, mustBeCurrent: Bool = false) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        if applicationID != Self.applicationID && tableCount > 0 {
            throw StoreError.notAMitrailDatabase(path: path)
        }
        let version = try appliedVersion(db)
        if version > Migration.latestVersion {
            throw StoreError.databaseTooNew(path: path, databaseVersion: version, knownVersion: Migration.latestVersion)
        }
        if mustBeCurrent, version > 0, version < Migration.latestVersion {
            throw StoreError.databaseTooOld(path: path, databaseVersion: version, knownVersion: Migration.latestVersion)
        }
    }

    static func migrate(_ writer: DatabaseQueue, path: String, now: String) throws {
        try writer.writeWithoutTransaction { db in
            try checkCompatible(db, path: path)
            try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            try db.execute(sql: ledgerSQL)
            let applied = try appliedVersion(db)
            // A new store gets its whole schema in one transaction, so that a reader never sees half of it; an
            // earlier store is upgraded one migration (one transaction) at a time.
            if applied == 0 {
                try db.inTransaction(.immediate) {
                    guard try appliedVersion(db) == 0 else { return .commit }
                    for migration in Migration.all { try run(migration, db, now: now) }
                    return .commit
                }
                return
            }
            for migration in Migration.all where migration.version > applied {
                try apply(migration, db, now: now)
            }
        }
    }

    /// Applies one migration in its own transaction; a table rebuild with foreign keys off (they can only be
    /// switched outside a transaction), checked before it commits.
    static func apply(_ migration: Migration, _ db: Database, now: String) throws {
        if migration.rebuildsTables { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
        defer { if migration.rebuildsTables { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
        try db.inTransaction(.immediate) {
            // A concurrent mitrail may have applied it meanwhile.
            guard try appliedVersion(db) < migration.version else { return .commit }
            try run(migration, db, now: now)
            if migration.rebuildsTables, let violation = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                throw StoreError.migrationFailed(name: migration.name, reason: "it leaves a foreign key violation in table \((violation[0] as String?) ?? "?")")
            }
            return .commit
        }
    }

    /// Runs one migration and records it, in the transaction open. A new store has no rows, so that a table
    /// rebuild needs no foreign key switch there.
    static func run(_ migration: Migration, _ db: Database, now: String) throws {
        do {
            try db.execute(sql: migration.sql)
            try db.execute(
                sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                arguments: [migration.version, migration.name, now])
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.migrationFailed(name: migration.name, reason: "\(error)")
        }
    }
}
