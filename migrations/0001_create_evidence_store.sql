-- The evidence store: every source ingested, every record read from it with
-- its provenance, and every record that could not be read.
-- Times are UTC ISO 8601 text with a Z (2026-03-04T10:15:32.120Z): text order is time order.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    -- The path as given on the command line; `archive.zip!entry` for archive entries, `-` for stdin.
    path TEXT NOT NULL,
    -- SHA-256 (hex) of the bytes as read from disk (a .gz file: its compressed bytes).
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    -- The format id that parsed it (see `mitrail formats`).
    format TEXT NOT NULL,
    -- When the evidence was observed: the time of a snapshot, and where that time came from.
    observed_at TEXT,
    observed_at_origin TEXT NOT NULL
        CHECK (observed_at_origin IN ('option', 'payload', 'mtime', 'none')),
    ingested_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    -- 'ingesting' until every record of the source is stored; a crash leaves it so.
    status TEXT NOT NULL CHECK (status IN ('ingesting', 'complete')),
    records_read INTEGER NOT NULL DEFAULT 0,
    records_stored INTEGER NOT NULL DEFAULT 0,
    records_rejected INTEGER NOT NULL DEFAULT 0,
    records_duplicate INTEGER NOT NULL DEFAULT 0,
    -- For an entry of an archive: the archive's own source row.
    parent_id INTEGER REFERENCES sources(id) ON DELETE CASCADE
);
CREATE INDEX sources_by_sha256 ON sources(sha256);
CREATE INDEX sources_by_parent ON sources(parent_id);

CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    -- Namespaced record kind, e.g. azure:rbac:role-assignment.
    kind TEXT NOT NULL,
    -- 1-based line where the record starts, and its JSON pointer inside a document.
    line INTEGER,
    pointer TEXT,
    time TEXT,
    time_origin TEXT NOT NULL
        CHECK (time_origin IN ('record', 'record-assumed-utc', 'neighbour', 'snapshot', 'none')),
    -- The values the parser extracted, as a JSON object.
    fields TEXT NOT NULL DEFAULT '{}',
    -- The record's text as it was read, with every secret removed.
    raw TEXT NOT NULL,
    -- The time in seconds (5 bytes, so the index grows in time order) and SHA-256 (11 bytes) of kind, time, raw text
    -- and occurrence: the same record ingested twice is stored once.
    digest BLOB NOT NULL UNIQUE
);
CREATE INDEX records_by_source ON records(source_id, line);
CREATE INDEX records_by_kind_time ON records(kind, time);

CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    line INTEGER,
    pointer TEXT,
    reason TEXT NOT NULL,
    -- The start of the record's text, redacted.
    excerpt TEXT NOT NULL
);
CREATE INDEX rejects_by_source ON rejects(source_id, line);

-- Stable faces of the store. Tables may change between migrations; views keep their columns.

CREATE VIEW timeline AS
SELECT r.time, r.time_origin, r.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN sources s ON s.id = r.source_id;

CREATE VIEW role_assignments AS
SELECT r.id AS record_id,
       json_extract(r.fields, '$.id') AS assignment_id,
       json_extract(r.fields, '$.principalId') AS principal_id,
       json_extract(r.fields, '$.principalType') AS principal_type,
       json_extract(r.fields, '$.principalName') AS principal_name,
       json_extract(r.fields, '$.roleDefinitionId') AS role_definition_id,
       json_extract(r.fields, '$.roleDefinitionName') AS role_definition_name,
       json_extract(r.fields, '$.scope') AS scope,
       json_extract(r.fields, '$.condition') AS condition,
       json_extract(r.fields, '$.createdOn') AS created_on,
       json_extract(r.fields, '$.updatedOn') AS updated_on,
       json_extract(r.fields, '$.createdBy') AS created_by,
       r.time AS observed_at, s.path AS source, r.line, r.pointer
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:rbac:role-assignment';

CREATE VIEW agent_log_lines AS
SELECT r.id AS record_id, r.time, r.time_origin,
       json_extract(r.fields, '$.level') AS level,
       json_extract(r.fields, '$.marker') AS marker,
       json_extract(r.fields, '$.node') AS node,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.health') AS health,
       substr(r.raw, coalesce(json_extract(r.fields, '$.messageAt'), 0) + 1) AS message,
       s.path AS source, r.line
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:batch:agent-log-line';

CREATE VIEW source_summary AS
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin,
       s.ingested_at, s.tool_version, s.status, s.records_read, s.records_stored,
       s.records_rejected, s.records_duplicate
FROM sources s;
