/// The statements the store runs for its own bookkeeping. Values are always bound, never pasted.
/// User-facing SQL lives in `migrations/` and `queries/`.
enum StoreStatements {
    static let insertSource = """
        INSERT INTO sources (path, sha256, size, format, observed_at, observed_at_origin,
                             ingested_at, tool_version, status, parent_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ingesting', ?)
        """

    /// Removes what an interrupted ingest of the same content left behind.
    static let deleteAbandonedSources = """
        DELETE FROM sources WHERE status = 'ingesting' AND sha256 = ? AND path = ?
        """

    static let completeSource = """
        UPDATE sources
        SET status = 'complete', records_read = ?, records_stored = ?, records_rejected = ?, records_duplicate = ?
        WHERE id = ?
        """

    static let insertRecord = """
        INSERT INTO records (source_id, kind, line, pointer, time, time_origin, fields, raw, digest)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (digest) DO NOTHING
        """

    static let insertReject = """
        INSERT INTO rejects (source_id, line, pointer, reason, excerpt) VALUES (?, ?, ?, ?, ?)
        """

    static let completeSourceBySHA256 = """
        SELECT id, path, format FROM sources WHERE sha256 = ? AND status = 'complete' AND parent_id IS NULL
        ORDER BY id LIMIT 1
        """

    static let listSources = """
        SELECT id, path, format, sha256, size, observed_at, observed_at_origin, ingested_at, tool_version,
               status, records_read, records_stored, records_rejected, records_duplicate, parent_id
        FROM sources ORDER BY id
        """
}
