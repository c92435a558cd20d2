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

    /// A source and the archive entries below it, with where their rows lie.
    static let sourceWithEntries = """
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT s.id FROM sources s JOIN tree ON s.parent_id = tree.id)
        SELECT s.id, s.first_record_id, s.last_record_id FROM sources s JOIN tree ON tree.id = s.id
        """

    /// The rows of one source between its first and last record (`?1` first, `?2` last, `?3` source).
    static let deleteSourceRows = [
        "DELETE FROM failure_facts WHERE record_id BETWEEN ?1 AND ?2 AND source_id = ?3",
        "DELETE FROM record_fields WHERE record_id BETWEEN ?1 AND ?2 AND source_id = ?3",
        "DELETE FROM log_line_fields WHERE record_id BETWEEN ?1 AND ?2 AND source_id = ?3",
        "DELETE FROM records WHERE id BETWEEN ?1 AND ?2 AND source_id = ?3",
    ]

    /// The source row (its rejects and entries follow by foreign key).
    static let deleteSource = """
        DELETE FROM sources WHERE id = ?
        """

    static let completeSource = """
        UPDATE sources
        SET status = 'complete', records_read = ?, records_stored = ?, records_rejected = ?, records_duplicate = ?,
            record_chain = ?, chain_version = ?, sha256 = coalesce(?, sha256), size = coalesce(?, size),
            first_time_ms = ?, last_time_ms = ?
        WHERE id = ?
        """

    /// Where a source's rows lie so far, noted with every batch.
    static let noteRecordRange = """
        UPDATE sources SET first_record_id = coalesce(first_record_id, ?), last_record_id = ? WHERE id = ?
        """

    /// Every other source's status, time span and writer (for finding duplicates).
    static let otherSourceSpans = """
        SELECT status, first_time_ms, last_time_ms, ingest_pid, ingest_host FROM sources WHERE id <> ?
        """

    static let insertRecord = """
        INSERT INTO records (source_id, kind_id, line, pointer, time_ms, time_origin_code, fields, raw, digest, chain)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The insert of a table of typed fields: its leading columns, then one per typed field (names, not values).
    static func insertTypedFields(_ table: FieldTable) -> String {
        let leading = table == .record ? ["record_id", "source_id", "kind_id", "line", "time_ms"] : ["record_id", "source_id", "line", "time_ms"]
        let columns = leading + table.columns.map(\.column)
        return "INSERT INTO \(table.tableName) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// The failures among one source's records between two record ids (`?1` first, `?2` last, `?3` source),
    /// as `failures_by_fields` (migration 0012) computes them from the typed fields. `+source_id` keeps the
    /// planner on the id range (the source's index would read every row of the source for each batch).
    static let insertFailureFacts = """
        INSERT INTO failure_facts SELECT * FROM failure_facts_by_fields
        WHERE record_id BETWEEN ?1 AND ?2 AND +source_id = ?3
        """

    static let insertReject = """
        INSERT INTO rejects (source_id, line, pointer, reason, excerpt) VALUES (?, ?, ?, ?, ?)
        """

    static let completeSourceBySHA256 = """
        SELECT id, path, format FROM sources WHERE sha256 = ? AND status = 'complete' AND parent_id IS NULL
        ORDER BY id LIMIT 1
        """

    /// Every source with what `verify` checks. A store older than the current schema is never read (refused, or
    /// upgraded first), so `chain_version` is always there.
    static let sourcesToVerify = """
        SELECT id, path, sha256, parent_id, status, records_read, records_stored, records_rejected, records_duplicate,
               record_chain, chain_version, ingest_pid, ingest_host,
               (SELECT count(*) FROM rejects j WHERE j.source_id = sources.id) AS reject_rows
        FROM sources ORDER BY id
        """

    /// Every record in id order with what its chain link covers: its v1 columns as text (kind, time, origin),
    /// its v2 columns, and its typed fields (`rf_`/`lf_` + column, see `verifyAlias`), interned ones as their
    /// `names` id (`ChainColumns` resolves them from the names read once, instead of a subquery per interned
    /// column and record). Plain SQL, for SQLite and PostgreSQL alike.
    static let recordsToVerify: String = {
        var columns = ["r.id", "r.source_id", "r.kind_id", "k.kind", "r.line", "r.pointer", "r.time_ms", "r.time_origin_code", "r.time",
                       "r.time_origin", "r.fields", "r.raw", "r.digest", "r.chain",
                       "f.record_id AS rf_record_id", "f.source_id AS rf_source_id", "f.kind_id AS rf_kind_id", "f.line AS rf_line",
                       "f.time_ms AS rf_time_ms", "l.record_id AS lf_record_id", "l.source_id AS lf_source_id", "l.line AS lf_line",
                       "l.time_ms AS lf_time_ms"]
        for table in FieldTable.allCases {
            let alias = table == .record ? "f" : "l"
            for column in table.columns {
                columns.append("\(alias).\(column.column) AS \(verifyAlias(table, column))")
            }
        }
        return """
            SELECT \(columns.joined(separator: ", "))
            FROM records r LEFT JOIN record_kinds k ON k.id = r.kind_id
            LEFT JOIN record_fields f ON f.record_id = r.id LEFT JOIN log_line_fields l ON l.record_id = r.id
            ORDER BY r.id
            """
    }()

    /// Per source, the rows of failure_facts that are not what failures_by_fields computes now, and the rows
    /// it computes that failure_facts lacks.
    static let failureFactsDisagreeing = """
        SELECT source_id, count(*) AS rows FROM (
            SELECT source_id FROM (SELECT * FROM failure_facts EXCEPT SELECT * FROM failure_facts_by_fields)
            UNION ALL
            SELECT source_id FROM (SELECT * FROM failure_facts_by_fields EXCEPT SELECT * FROM failure_facts)
        ) GROUP BY source_id
        """

    /// The names interned columns refer to.
    static let namesToVerify = "SELECT id, value FROM names"
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
               -- No index on records.source_id: a source's records lie between its first and last record id.
               (SELECT count(*) FROM records r
                WHERE r.id BETWEEN s.first_record_id AND s.last_record_id AND r.source_id = s.id) AS records,
               (SELECT count(*) FROM rejects j WHERE j.source_id = s.id) AS rejects
        FROM sources s ORDER BY s.id
        """

    static func verifyAlias(_ table: FieldTable, _ column: FieldTable.Column) -> String {
        (table == .record ? "rf_" : "lf_") + column.column
    }
}
