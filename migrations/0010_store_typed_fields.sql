-- Store v2: typed evidence written at ingest, a lighter record, integer times.
--
-- Records keep what is evidence (the redacted raw text, provenance, time, kind); the values the views and
-- explain read are written once, at ingest, as typed columns (`record_fields`, and `log_line_fields` for
-- Batch agent log lines, which are most of a bundle): no view parses JSON. `records.fields` keeps only the
-- fields no typed column holds (NULL when none is left). Repeated strings (nodes, pools, identity IDs,
-- scopes, resources) are stored once in `names` and referred to by id (columns ending in `_ref`); kinds
-- likewise in `record_kinds`. Times are integer milliseconds since 1970 UTC (`time_ms`); `records.time`
-- and `records.time_origin` are computed columns with the ISO 8601 text and the origin's name, as before.
-- Views keep their names and columns (0011 redefines them over these tables).
--
-- A store written before this migration is upgraded in place: its records move to the new table keeping
-- their full fields JSON, digest and chain (their sources keep chain_version 1 or 2, which `verify`
-- checks by their own formula), and their typed columns are filled from that JSON here.

CREATE TABLE record_kinds (
    id INTEGER PRIMARY KEY,
    -- Namespaced record kind, e.g. azure:rbac:role-assignment.
    kind TEXT NOT NULL UNIQUE
);

CREATE TABLE names (
    id INTEGER PRIMARY KEY,
    value TEXT NOT NULL UNIQUE
);

CREATE TABLE records_v2 (
    id INTEGER PRIMARY KEY,
    -- No foreign key (a lookup per insert): a source's records are those with its id between the
    -- source's first_record_id and last_record_id.
    source_id INTEGER NOT NULL,
    kind_id INTEGER NOT NULL,
    -- 1-based line where the record starts, and its JSON pointer inside a document.
    line INTEGER,
    pointer TEXT,
    -- Milliseconds since 1970-01-01T00:00:00Z; NULL when the record has no time.
    time_ms INTEGER,
    -- 0 record, 1 record-assumed-utc, 2 neighbour, 3 snapshot, 4 none.
    time_origin_code INTEGER NOT NULL,
    -- The fields no typed column holds, as a JSON object; NULL when none is left.
    fields TEXT,
    -- The record's text as it was read, with every secret removed.
    raw TEXT NOT NULL,
    -- 64-bit FNV-1a of kind, time and raw text (records of earlier stores: the 16-byte v1 digest). Not unique:
    -- within one source every record is stored; a record is a duplicate only of the same record stored from
    -- another source (see README, "Nothing lost, nothing twice").
    digest NOT NULL,
    -- The record's link in its source's hash chain (chain_version 3: 8 bytes; earlier: 16).
    chain BLOB,
    time TEXT GENERATED ALWAYS AS (
        strftime('%Y-%m-%dT%H:%M:%S', (time_ms - ((time_ms % 1000) + 1000) % 1000) / 1000, 'unixepoch')
        || '.' || substr('00' || (((time_ms % 1000) + 1000) % 1000), -3) || 'Z'
    ) VIRTUAL,
    time_origin TEXT GENERATED ALWAYS AS (
        CASE time_origin_code WHEN 0 THEN 'record' WHEN 1 THEN 'record-assumed-utc' WHEN 2 THEN 'neighbour'
                              WHEN 3 THEN 'snapshot' ELSE 'none' END
    ) VIRTUAL
);

-- The typed fields of every record but agent log lines, one column per field the views and queries read
-- (the field's name in snake_case; `_ref` columns hold a `names` id). A value is stored with its column's
-- type (an integer given as text, a number in a text column), as the writer hashed it for the chain.
-- time_ms, source_id, kind_id and line repeat the record's so that the views of failures and token
-- requests need not read `records`.
CREATE TABLE record_fields (
    record_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    kind_id INTEGER NOT NULL,
    line INTEGER,
    time_ms INTEGER,
    status INTEGER,
    error_code TEXT,
    status_text TEXT,
    status_code TEXT,
    transport_error TEXT,
    no_answer INTEGER,
    state TEXT,
    start_task_failure_code TEXT,
    start_task_failure_message TEXT,
    error_message TEXT,
    failure_reason TEXT,
    authentication_error_detail TEXT,
    error_codes TEXT,
    error_category TEXT,
    result TEXT,
    operation_status TEXT,
    operation_name TEXT,
    event_phase TEXT,
    node_ref INTEGER,
    pool_ref INTEGER,
    account_ref INTEGER,
    job TEXT,
    task TEXT,
    principal_id_ref INTEGER,
    client_id_ref INTEGER,
    identity_resource_id_ref INTEGER,
    tenant_id_ref INTEGER,
    token_oid_ref INTEGER,
    token_app_id_ref INTEGER,
    token_mi_resource_id_ref INTEGER,
    token_tenant_id_ref INTEGER,
    token_audience_ref INTEGER,
    token_expires_at TEXT,
    token_fingerprint TEXT,
    caller_object_id_ref INTEGER,
    caller_app_id_ref INTEGER,
    caller TEXT,
    scope_ref INTEGER,
    target_resource_ref INTEGER,
    resource_ref INTEGER,
    resource_id_ref INTEGER,
    resource_display_name TEXT,
    action TEXT,
    url TEXT,
    storage_account TEXT,
    storage_container_url TEXT,
    container TEXT,
    auto_storage_container_name TEXT,
    metadata_header INTEGER,
    continues_line INTEGER,
    duration_ms INTEGER,
    marker TEXT,
    message_at INTEGER,
    id TEXT,
    name TEXT,
    principal_type TEXT,
    principal_name TEXT,
    role_definition_guid TEXT,
    role_definition_id TEXT,
    role_definition_name TEXT,
    condition TEXT,
    created_on TEXT,
    updated_on TEXT,
    created_by TEXT,
    role_assignment_name TEXT,
    role_assignment_id TEXT,
    account_resource_id TEXT,
    pool_resource_id TEXT,
    identity_type TEXT,
    user_assigned_identities TEXT,
    auto_storage_account_id_ref INTEGER,
    auto_storage_authentication_mode TEXT,
    node_identity_reference_ref INTEGER,
    pool_allocation_mode TEXT,
    key_vault_id TEXT,
    key_vault_url TEXT,
    application_packages TEXT,
    resource_file_identities TEXT
);

-- Records of a source by line: explain asks whether a client log line only echoes a structured record of
-- the same log a few lines away.
CREATE INDEX record_fields_by_source_line ON record_fields(source_id, line);

-- The typed fields of Batch agent log lines.
CREATE TABLE log_line_fields (
    record_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    line INTEGER,
    time_ms INTEGER,
    level TEXT,
    message_at INTEGER,
    marker TEXT,
    health TEXT,
    node_ref INTEGER,
    pool_ref INTEGER
);

-- Where each source's records lie (with source_id), kept up to date by every batch the writer commits.
ALTER TABLE sources ADD COLUMN first_record_id INTEGER;
ALTER TABLE sources ADD COLUMN last_record_id INTEGER;
-- The time span of a complete source's records (milliseconds since 1970): only records inside another
-- source's span can be duplicates of its records.
ALTER TABLE sources ADD COLUMN first_time_ms INTEGER;
ALTER TABLE sources ADD COLUMN last_time_ms INTEGER;

-- Upgrading an earlier store: kinds, names, records, typed fields.
INSERT INTO record_kinds (kind) SELECT DISTINCT kind FROM records ORDER BY kind;

INSERT INTO records_v2 (id, source_id, kind_id, line, pointer, time_ms, time_origin_code, fields, raw, digest, chain)
SELECT o.id, o.source_id, k.id, o.line, o.pointer,
       CAST(round((julianday(o.time) - 2440587.5) * 86400000.0) AS INTEGER),
       CASE o.time_origin WHEN 'record' THEN 0 WHEN 'record-assumed-utc' THEN 1 WHEN 'neighbour' THEN 2
                          WHEN 'snapshot' THEN 3 ELSE 4 END,
       o.fields, o.raw, o.digest, o.chain
FROM records o JOIN record_kinds k ON k.kind = o.kind;

INSERT OR IGNORE INTO names (value)
SELECT value FROM (
SELECT json_extract(o.fields, '$.account') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.autoStorageAccountId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.callerAppId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.callerObjectId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.clientId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.identityResourceId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.node') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.nodeIdentityReference') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.pool') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.principalId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.resource') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.resourceId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.scope') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.targetResource') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tenantId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tokenAppId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tokenAudience') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tokenMiResourceId') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tokenOid') AS value FROM records o
    UNION SELECT json_extract(o.fields, '$.tokenTenantId') AS value FROM records o
) WHERE value IS NOT NULL;

INSERT INTO record_fields (record_id, source_id, kind_id, line, time_ms, status, error_code, status_text, status_code, transport_error, no_answer, state, start_task_failure_code, start_task_failure_message, error_message, failure_reason, authentication_error_detail, error_codes, error_category, result, operation_status, operation_name, event_phase, node_ref, pool_ref, account_ref, job, task, principal_id_ref, client_id_ref, identity_resource_id_ref, tenant_id_ref, token_oid_ref, token_app_id_ref, token_mi_resource_id_ref, token_tenant_id_ref, token_audience_ref, token_expires_at, token_fingerprint, caller_object_id_ref, caller_app_id_ref, caller, scope_ref, target_resource_ref, resource_ref, resource_id_ref, resource_display_name, action, url, storage_account, storage_container_url, container, auto_storage_container_name, metadata_header, continues_line, duration_ms, marker, message_at, id, name, principal_type, principal_name, role_definition_guid, role_definition_id, role_definition_name, condition, created_on, updated_on, created_by, role_assignment_name, role_assignment_id, account_resource_id, pool_resource_id, identity_type, user_assigned_identities, auto_storage_account_id_ref, auto_storage_authentication_mode, node_identity_reference_ref, pool_allocation_mode, key_vault_id, key_vault_url, application_packages, resource_file_identities)
SELECT o.id,
       o.source_id,
       k.id,
       o.line,
       n.time_ms,
       json_extract(o.fields, '$.status'),
       json_extract(o.fields, '$.errorCode'),
       json_extract(o.fields, '$.statusText'),
       json_extract(o.fields, '$.statusCode'),
       json_extract(o.fields, '$.transportError'),
       json_extract(o.fields, '$.noAnswer'),
       json_extract(o.fields, '$.state'),
       json_extract(o.fields, '$.startTaskFailureCode'),
       json_extract(o.fields, '$.startTaskFailureMessage'),
       json_extract(o.fields, '$.errorMessage'),
       json_extract(o.fields, '$.failureReason'),
       json_extract(o.fields, '$.authenticationErrorDetail'),
       json_extract(o.fields, '$.errorCodes'),
       json_extract(o.fields, '$.errorCategory'),
       json_extract(o.fields, '$.result'),
       json_extract(o.fields, '$.operationStatus'),
       json_extract(o.fields, '$.operationName'),
       json_extract(o.fields, '$.eventPhase'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.node')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.pool')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.account')),
       json_extract(o.fields, '$.job'),
       json_extract(o.fields, '$.task'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.principalId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.clientId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.identityResourceId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tenantId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tokenOid')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tokenAppId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tokenMiResourceId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tokenTenantId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.tokenAudience')),
       json_extract(o.fields, '$.tokenExpiresAt'),
       json_extract(o.fields, '$.tokenFingerprint'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.callerObjectId')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.callerAppId')),
       json_extract(o.fields, '$.caller'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.scope')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.targetResource')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.resource')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.resourceId')),
       json_extract(o.fields, '$.resourceDisplayName'),
       json_extract(o.fields, '$.action'),
       json_extract(o.fields, '$.url'),
       json_extract(o.fields, '$.storageAccount'),
       json_extract(o.fields, '$.storageContainerUrl'),
       json_extract(o.fields, '$.container'),
       json_extract(o.fields, '$.autoStorageContainerName'),
       json_extract(o.fields, '$.metadataHeader'),
       json_extract(o.fields, '$.continuesLine'),
       json_extract(o.fields, '$.durationMs'),
       json_extract(o.fields, '$.marker'),
       json_extract(o.fields, '$.messageAt'),
       json_extract(o.fields, '$.id'),
       json_extract(o.fields, '$.name'),
       json_extract(o.fields, '$.principalType'),
       json_extract(o.fields, '$.principalName'),
       json_extract(o.fields, '$.roleDefinitionGuid'),
       json_extract(o.fields, '$.roleDefinitionId'),
       json_extract(o.fields, '$.roleDefinitionName'),
       json_extract(o.fields, '$.condition'),
       json_extract(o.fields, '$.createdOn'),
       json_extract(o.fields, '$.updatedOn'),
       json_extract(o.fields, '$.createdBy'),
       json_extract(o.fields, '$.roleAssignmentName'),
       json_extract(o.fields, '$.roleAssignmentId'),
       json_extract(o.fields, '$.accountResourceId'),
       json_extract(o.fields, '$.poolResourceId'),
       json_extract(o.fields, '$.identityType'),
       json_extract(o.fields, '$.userAssignedIdentities'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.autoStorageAccountId')),
       json_extract(o.fields, '$.autoStorageAuthenticationMode'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.nodeIdentityReference')),
       json_extract(o.fields, '$.poolAllocationMode'),
       json_extract(o.fields, '$.keyVaultId'),
       json_extract(o.fields, '$.keyVaultUrl'),
       json_extract(o.fields, '$.applicationPackages'),
       json_extract(o.fields, '$.resourceFileIdentities')
FROM records o JOIN record_kinds k ON k.kind = o.kind JOIN records_v2 n ON n.id = o.id
WHERE o.kind <> 'azure:batch:agent-log-line';

INSERT INTO log_line_fields (record_id, source_id, line, time_ms, level, message_at, marker, health, node_ref, pool_ref)
SELECT o.id,
       o.source_id,
       o.line,
       n.time_ms,
       json_extract(o.fields, '$.level'),
       json_extract(o.fields, '$.messageAt'),
       json_extract(o.fields, '$.marker'),
       json_extract(o.fields, '$.health'),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.node')),
       (SELECT n.id FROM names n WHERE n.value = json_extract(o.fields, '$.pool'))
FROM records o JOIN records_v2 n ON n.id = o.id
WHERE o.kind = 'azure:batch:agent-log-line';

UPDATE sources SET first_record_id = (SELECT min(id) FROM records WHERE source_id = sources.id),
                   last_record_id = (SELECT max(id) FROM records WHERE source_id = sources.id),
                   first_time_ms = (SELECT min(time_ms) FROM records_v2 WHERE source_id = sources.id),
                   last_time_ms = (SELECT max(time_ms) FROM records_v2 WHERE source_id = sources.id);

-- The views of 0001-0009 read the old table: 0011 defines them again.
DROP VIEW timeline;
DROP VIEW role_assignments;
DROP VIEW agent_log_lines;
DROP VIEW role_definitions;
DROP VIEW failures;
DROP VIEW token_requests;
DROP VIEW identity_sightings;
DROP VIEW role_assignment_history;
DROP VIEW group_membership_evidence;

DROP TABLE records;
ALTER TABLE records_v2 RENAME TO records;
CREATE INDEX records_by_time ON records(time_ms, digest);
-- Records of a kind: every view but the timeline looks at a few kinds.
CREATE INDEX records_by_kind ON records(kind_id);
