/// The statements the store runs for its own bookkeeping. Values are always bound, never pasted.
/// User-facing SQL lives in `migrations/` and `queries/`.
enum StoreStatements {
    static let insertSource = """
        INSERT INTO sources (path, sha256, size, format, observed_at, observed_at_origin,
                             ingested_at, tool_version, status, parent_id, ingest_pid, ingest_host, command)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ingesting', ?, ?, ?, ?)
        """

    /// Unfinished sources of the same content and path: abandoned by a crash, or being written right now.
    static let unfinishedSources = """
        SELECT id, ingest_pid, ingest_host FROM sources WHERE status = 'ingesting' AND sha256 = ? AND path = ?
        """

    static let deleteSource = """
        DELETE FROM sources WHERE id = ?
        """

    static let completeSource = """
        UPDATE sources
        SET status = 'complete', records_read = ?, records_stored = ?, records_rejected = ?, records_duplicate = ?,
            record_chain = ?, chain_version = ?, sha256 = coalesce(?, sha256), size = coalesce(?, size)
        WHERE id = ?
        """

    static let insertRecord = """
        INSERT INTO records (source_id, kind, line, pointer, time, time_origin, fields, raw, digest, chain)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (digest) DO NOTHING
        """

    static let insertReject = """
        INSERT INTO rejects (source_id, line, pointer, reason, excerpt) VALUES (?, ?, ?, ?, ?)
        """

    static let completeSourceBySHA256 = """
        SELECT id, path, format FROM sources WHERE sha256 = ? AND status = 'complete' AND parent_id IS NULL
        ORDER BY id LIMIT 1
        """

    /// `command` is the column, or `NULL` in a store older than migration 0008 (opened read-only, not migrated).
    static func listSources(command: String) -> String {
        """
        SELECT id, path, format, sha256, size, observed_at, observed_at_origin, ingested_at, tool_version,
               status, records_read, records_stored, records_rejected, records_duplicate, parent_id, \(command) AS command
        FROM sources ORDER BY id
        """
    }

    /// `chainVersion` is the column, or `NULL` in a store older than migration 0006 (opened read-only, not migrated).
    static func sourcesToVerify(chainVersion: String) -> String {
        """
        SELECT id, path, sha256, parent_id, status, records_read, records_stored, records_rejected, records_duplicate,
               record_chain, \(chainVersion) AS chain_version, ingest_pid, ingest_host,
               (SELECT count(*) FROM rejects j WHERE j.source_id = sources.id) AS reject_rows
        FROM sources ORDER BY id
        """
    }

    static let chainedRecordCount = """
        SELECT count(*) FROM records WHERE source_id = ? AND chain IS NOT NULL
        """

    static let recordsInChainOrder = """
        SELECT id, kind, line, pointer, time, time_origin, fields, raw, digest, chain FROM records WHERE source_id = ? ORDER BY id
        """

    /// Copies the -wal file into the store file and empties it: one row (busy, pages in the log, pages copied).
    static let truncatingCheckpoint = """
        PRAGMA wal_checkpoint(TRUNCATE)
        """

    /// A consistent copy of the whole store into an empty file (bound: the copy's path).
    static let vacuumInto = """
        VACUUM INTO ?
        """

    static let rowCountsBySource = """
        SELECT s.id,
               (SELECT count(*) FROM records r WHERE r.source_id = s.id) AS records,
               (SELECT count(*) FROM rejects j WHERE j.source_id = s.id) AS rejects
        FROM sources s ORDER BY s.id
        """
}
