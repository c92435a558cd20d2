-- mitrail-migration: rebuilds-tables
-- Provenance from `mitrail collect`: a source's observed-at time may come from the collector's
-- manifest (origin 'collector': the end time of the command that wrote the file), and the source
-- keeps that command line.
--
-- SQLite cannot change a CHECK constraint in place, so `sources` is rebuilt (SQLite's documented
-- "make other kinds of table schema changes" procedure): the migration runs with foreign keys off,
-- so that dropping the old table cascades to nothing, and the migrator runs `PRAGMA
-- foreign_key_check` before it commits. `legacy_alter_table` keeps the rename from checking the
-- views, which name `sources` and see the new table once it has that name. Records and rejects are
-- not touched. The copy lists no columns: a column another migration adds to `sources` makes it
-- fail loudly (the column count differs) instead of being dropped.

CREATE TABLE sources_rebuilt (
    id INTEGER PRIMARY KEY,
    -- The path as given on the command line; `archive.zip!entry` for archive entries, `-` for stdin.
    path TEXT NOT NULL,
    -- SHA-256 (hex) of the bytes as read from disk (a .gz file: its compressed bytes).
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    -- The format id that parsed it (see `mitrail formats`).
    format TEXT NOT NULL,
    -- When the evidence was observed: the time of a snapshot, and where that time came from
    -- (`collector`: when the `mitrail collect` command that wrote the file finished).
    observed_at TEXT,
    observed_at_origin TEXT NOT NULL
        CHECK (observed_at_origin IN ('option', 'payload', 'mtime', 'none', 'collector')),
    ingested_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    -- 'ingesting' until every record of the source is stored; a crash leaves it so.
    status TEXT NOT NULL CHECK (status IN ('ingesting', 'complete')),
    records_read INTEGER NOT NULL DEFAULT 0,
    records_stored INTEGER NOT NULL DEFAULT 0,
    records_rejected INTEGER NOT NULL DEFAULT 0,
    records_duplicate INTEGER NOT NULL DEFAULT 0,
    -- For an entry of an archive: the archive's own source row.
    parent_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    -- See 0003_add_record_chain.
    record_chain TEXT,
    ingest_pid INTEGER,
    ingest_host TEXT,
    -- See 0006_index_records_by_time.
    chain_version INTEGER,
    -- The command that produced the file, as a JSON array of its arguments
    -- (`["az", "role", "assignment", "list", ...]`), from a collector manifest; NULL when unknown.
    command TEXT
);

INSERT INTO sources_rebuilt SELECT *, NULL FROM sources;

DROP TABLE sources;

PRAGMA legacy_alter_table = ON;
ALTER TABLE sources_rebuilt RENAME TO sources;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX sources_by_sha256 ON sources(sha256);
CREATE INDEX sources_by_parent ON sources(parent_id);

-- `source_summary` keeps its columns and adds the command.
DROP VIEW source_summary;
CREATE VIEW source_summary AS
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin,
       s.ingested_at, s.tool_version, s.status, s.records_read, s.records_stored,
       s.records_rejected, s.records_duplicate, s.command
FROM sources s;
