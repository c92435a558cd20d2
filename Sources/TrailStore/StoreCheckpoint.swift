import GRDB
import GRDBSQLite

/// What a checkpoint at the end of a writing command achieved.
public enum CheckpointOutcome: Sendable, Equatable {
    /// Every change is in the store file itself and the -wal file is empty: the file alone is the whole store.
    case complete
    /// Another connection holds the store (a Datasette, an `sqlite3` shell or a second mitrail in the middle of a
    /// read transaction, or another mitrail still writing), so the latest changes stay in the -wal file: the store
    /// file alone misses them. `pagesInLog` pages were in the -wal file, `pagesCopied` of them reached the store file.
    case blocked(pagesInLog: Int, pagesCopied: Int)
}

extension EvidenceStore {
    /// How long a checkpoint waits for another connection's read transaction to end before it gives up.
    static let checkpointWaitMilliseconds: Int32 = 2_000

    /// Copies every change from the -wal file into the store file and empties the -wal file
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), so that a copy of the store file alone, or an immutable read-only
    /// open of it, holds every record. A reader that keeps a transaction open (or another writer) blocks it: then as much as can be
    /// copied is, and the outcome says so. A store not in WAL mode is always complete.
    public func checkpoint() throws -> CheckpointOutcome {
        guard mode == .readWrite else { return .complete }
        return try queue.writeWithoutTransaction { db in
            // The connection waits long for locks; a checkpoint at the end of a command should not.
            sqlite3_busy_timeout(db.sqliteConnection, Self.checkpointWaitMilliseconds)
            defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(Self.busyTimeoutSeconds * 1000)) }
            guard let row = try Row.fetchOne(db, sql: StoreStatements.truncatingCheckpoint) else { return .complete }
            let busy: Int = row[0], pagesInLog: Int = row[1], pagesCopied: Int = row[2]
            return busy == 0 ? .complete : .blocked(pagesInLog: pagesInLog, pagesCopied: pagesCopied)
        }
    }
}
