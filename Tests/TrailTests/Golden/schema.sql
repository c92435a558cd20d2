CREATE INDEX records_by_kind_time ON records(kind, time);

CREATE INDEX records_by_source ON records(source_id, line);

CREATE INDEX rejects_by_source ON rejects(source_id, line);

CREATE INDEX sources_by_parent ON sources(parent_id);

CREATE INDEX sources_by_sha256 ON sources(sha256);

CREATE TABLE builtin_roles (
    -- The role definition's name: a lower-case GUID, the same in every subscription.
    role_definition_guid TEXT PRIMARY KEY,
    role_name TEXT NOT NULL,
    description TEXT,
    actions TEXT NOT NULL,
    not_actions TEXT NOT NULL,
    data_actions TEXT NOT NULL,
    not_data_actions TEXT NOT NULL
);

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
    -- SHA-256 (first 16 bytes) of kind, time, raw text and occurrence: the same record ingested twice is stored once.
    digest BLOB NOT NULL UNIQUE
);

CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    line INTEGER,
    pointer TEXT,
    reason TEXT NOT NULL,
    -- The start of the record's text, redacted.
    excerpt TEXT NOT NULL
);

CREATE TABLE required_permissions (
    -- A stable name for the operation.
    operation TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    action TEXT NOT NULL,
    -- 1 for a data action (granted only by dataActions), 0 for a control-plane action.
    is_data_action INTEGER NOT NULL CHECK (is_data_action IN (0, 1)),
    -- Whose permission it is: the Batch account's identity, the pool's node identity, or the caller.
    needed_by TEXT NOT NULL CHECK (needed_by IN ('batch-account-identity', 'node-identity', 'caller')),
    -- Where it is needed: the autostorage account, the container named in the task, the resource in the error.
    scope_kind TEXT NOT NULL,
    -- Error codes that show this permission missing (JSON array).
    failure_codes TEXT NOT NULL,
    least_privilege_role_guid TEXT NOT NULL REFERENCES builtin_roles(role_definition_guid)
);

CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

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

CREATE VIEW role_definitions AS
SELECT b.role_definition_guid, b.role_name, 'BuiltInRole' AS role_type,
       b.actions, b.not_actions, b.data_actions, b.not_data_actions,
       'builtin' AS source, NULL AS observed_at
FROM builtin_roles b
UNION ALL
SELECT lower(json_extract(r.fields, '$.roleDefinitionGuid')) AS role_definition_guid,
       json_extract(r.fields, '$.roleName') AS role_name,
       json_extract(r.fields, '$.roleType') AS role_type,
       coalesce(json_extract(r.fields, '$.actions'), '[]') AS actions,
       coalesce(json_extract(r.fields, '$.notActions'), '[]') AS not_actions,
       coalesce(json_extract(r.fields, '$.dataActions'), '[]') AS data_actions,
       coalesce(json_extract(r.fields, '$.notDataActions'), '[]') AS not_data_actions,
       s.path AS source, r.time AS observed_at
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:rbac:role-definition';

CREATE VIEW source_summary AS
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin,
       s.ingested_at, s.tool_version, s.status, s.records_read, s.records_stored,
       s.records_rejected, s.records_duplicate
FROM sources s;

CREATE VIEW timeline AS
SELECT r.time, r.time_origin, r.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN sources s ON s.id = r.source_id;
