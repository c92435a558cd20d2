CREATE INDEX failure_facts_by_kind ON failure_facts(kind_id);

CREATE INDEX record_fields_by_source_line ON record_fields(source_id, line);

CREATE INDEX records_by_kind ON records(kind_id);

CREATE INDEX records_by_time ON records(time_ms, digest);

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

CREATE TABLE failure_facts (
    record_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    kind_id INTEGER NOT NULL,
    -- The record's time (milliseconds since 1970 UTC), as records.time_ms.
    time_ms INTEGER,
    -- The failure's columns as the `failures` view gives them; node and pool as `names` ids.
    code TEXT,
    status NUMERIC,
    node_ref INTEGER,
    pool_ref INTEGER,
    job TEXT,
    task TEXT,
    -- Each of the four below is a `names` id when its text is one of the store's names (it nearly always is),
    -- else the text in the column after it.
    principal_ref INTEGER,
    principal_id TEXT,
    client_ref INTEGER,
    client_id TEXT,
    identity_resource_ref INTEGER,
    identity_resource_id TEXT,
    target_ref INTEGER,
    target TEXT,
    -- NULL for an agent log line: its message is its raw text from message_at on (0-based offset).
    message TEXT,
    message_at INTEGER
);

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

CREATE TABLE names (
    id INTEGER PRIMARY KEY,
    value TEXT NOT NULL UNIQUE
);

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

CREATE TABLE record_kinds (
    id INTEGER PRIMARY KEY,
    -- Namespaced record kind, e.g. azure:rbac:role-assignment.
    kind TEXT NOT NULL UNIQUE
);

CREATE TABLE "records" (
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

CREATE TABLE "sources" (
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
, first_record_id INTEGER, last_record_id INTEGER, first_time_ms INTEGER, last_time_ms INTEGER);

CREATE VIEW agent_log_lines AS
SELECT l.record_id, r.time, r.time_origin, l.level, l.marker, n_node.value AS node, n_pool.value AS pool, l.health,
       substr(r.raw, coalesce(l.message_at, 0) + 1) AS message,
       s.path AS source, l.line
FROM log_line_fields l
JOIN records r ON r.id = l.record_id
JOIN sources s ON s.id = l.source_id
LEFT JOIN names n_node ON n_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = l.pool_ref;

CREATE VIEW failure_facts_by_fields AS
SELECT v.record_id, v.source_id, (SELECT k.id FROM record_kinds k WHERE k.kind = v.kind) AS kind_id, v.time_ms,
       v.code, v.status,
       (SELECT n.id FROM names n WHERE n.value = v.node) AS node_ref,
       (SELECT n.id FROM names n WHERE n.value = v.pool) AS pool_ref,
       v.job, v.task,
       (SELECT n.id FROM names n WHERE n.value = v.principal_id) AS principal_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.principal_id) THEN v.principal_id END AS principal_id,
       (SELECT n.id FROM names n WHERE n.value = v.client_id) AS client_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.client_id) THEN v.client_id END AS client_id,
       (SELECT n.id FROM names n WHERE n.value = v.identity_resource_id) AS identity_resource_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.identity_resource_id)
            THEN v.identity_resource_id END AS identity_resource_id,
       (SELECT n.id FROM names n WHERE n.value = v.target) AS target_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.target) THEN v.target END AS target,
       v.message, v.message_at
FROM failures_by_fields v;

CREATE VIEW failures AS
SELECT f.record_id, r.time, k.kind, f.code, f.status, n_node.value AS node, n_pool.value AS pool, f.job, f.task,
       coalesce(n_principal.value, f.principal_id) AS principal_id, coalesce(n_client.value, f.client_id) AS client_id,
       coalesce(n_identity.value, f.identity_resource_id) AS identity_resource_id,
       coalesce(n_target.value, f.target) AS target,
       CASE WHEN f.message_at IS NOT NULL THEN substr(r.raw, f.message_at + 1) ELSE f.message END AS message,
       s.path AS source, r.line
FROM failure_facts f
JOIN records r ON r.id = f.record_id
JOIN record_kinds k ON k.id = f.kind_id
JOIN sources s ON s.id = f.source_id
LEFT JOIN names n_node ON n_node.id = f.node_ref
LEFT JOIN names n_pool ON n_pool.id = f.pool_ref
LEFT JOIN names n_principal ON n_principal.id = f.principal_ref
LEFT JOIN names n_client ON n_client.id = f.client_ref
LEFT JOIN names n_identity ON n_identity.id = f.identity_resource_ref
LEFT JOIN names n_target ON n_target.id = f.target_ref;

CREATE VIEW failures_by_fields AS
SELECT v.record_id, v.source_id, k.kind, v.time_ms,
       CAST(coalesce(v.error_code, v.start_task_failure_code, v.status_text, v.marker, v.transport_error,
                     CASE WHEN v.no_answer = 1 THEN 'no-answer' END,
                     CASE k.kind WHEN 'azure:batch:node' THEN v.state
                                 WHEN 'azure:activitylog:event' THEN v.status_code END,
                     CASE WHEN CAST(v.status AS INTEGER) >= 400 THEN 'HTTP ' || v.status END) AS TEXT) AS code,
       v.status, n_node.value AS node, n_pool.value AS pool, v.job, v.task,
       lower(CASE k.kind WHEN 'azure:activitylog:event' THEN n_caller_object_id.value
                 ELSE coalesce(n_principal_id.value, n_token_oid.value) END) AS principal_id,
       lower(CASE k.kind WHEN 'azure:activitylog:event' THEN n_caller_app_id.value
                 ELSE coalesce(n_client_id.value, n_token_app_id.value) END) AS client_id,
       coalesce(n_identity_resource_id.value, n_token_mi_resource_id.value) AS identity_resource_id,
       coalesce(n_scope.value, n_target_resource.value, v.storage_container_url, n_resource.value,
                n_resource_id.value) AS target,
       coalesce(v.error_message, v.failure_reason, v.start_task_failure_message) AS message,
       NULL AS message_at
FROM record_fields v
JOIN record_kinds k ON k.id = v.kind_id
LEFT JOIN names n_node ON n_node.id = v.node_ref
LEFT JOIN names n_pool ON n_pool.id = v.pool_ref
LEFT JOIN names n_principal_id ON n_principal_id.id = v.principal_id_ref
LEFT JOIN names n_client_id ON n_client_id.id = v.client_id_ref
LEFT JOIN names n_identity_resource_id ON n_identity_resource_id.id = v.identity_resource_id_ref
LEFT JOIN names n_token_oid ON n_token_oid.id = v.token_oid_ref
LEFT JOIN names n_token_app_id ON n_token_app_id.id = v.token_app_id_ref
LEFT JOIN names n_token_mi_resource_id ON n_token_mi_resource_id.id = v.token_mi_resource_id_ref
LEFT JOIN names n_caller_object_id ON n_caller_object_id.id = v.caller_object_id_ref
LEFT JOIN names n_caller_app_id ON n_caller_app_id.id = v.caller_app_id_ref
LEFT JOIN names n_scope ON n_scope.id = v.scope_ref
LEFT JOIN names n_target_resource ON n_target_resource.id = v.target_resource_ref
LEFT JOIN names n_resource ON n_resource.id = v.resource_ref
LEFT JOIN names n_resource_id ON n_resource_id.id = v.resource_id_ref
WHERE k.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE k.kind
      WHEN 'azure:batch:node' THEN
           lower(v.state) IN ('unusable', 'starting', 'starttaskfailed')
           OR v.error_code IS NOT NULL OR v.start_task_failure_code IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN v.marker IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(CAST(v.error_code AS INTEGER), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:entra:sp-signin' THEN
           coalesce(CAST(v.error_code AS INTEGER), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(v.operation_status) = 'failed'
           OR coalesce(CAST(v.status AS INTEGER), 0) >= 400
      ELSE coalesce(CAST(v.status AS INTEGER), 0) >= 400
           OR coalesce(v.no_answer, 0) = 1
           OR v.error_code IS NOT NULL
      END
UNION ALL
SELECT l.record_id, l.source_id, 'azure:batch:agent-log-line', l.time_ms, CAST(l.marker AS TEXT), NULL,
       n_node.value, n_pool.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(l.message_at, 0)
FROM log_line_fields l
LEFT JOIN names n_node ON n_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = l.pool_ref
WHERE l.marker IS NOT NULL;

CREATE VIEW group_membership_evidence AS
SELECT 'list' AS evidence, r.record_id AS record_id, r.source_id, s.path AS source, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')) AS group_id,
       json_extract(r.fields, '$.groupName') AS group_name,
       lower(json_extract(r.fields, '$.memberId')) AS member_id,
       NULL AS member_type, NULL AS member_name, NULL AS app_id, NULL AS identity_resource_id,
       json_extract(r.fields, '$.relation') AS relation,
       json_extract(r.fields, '$.listOf') AS list_of,
       json_extract(r.fields, '$.complete') AS complete,
       json_extract(r.fields, '$.incompleteBecause') AS incomplete_because,
       NULL AS is_member,
       coalesce(json_extract(r.fields, '$.groupOrigin'), json_extract(r.fields, '$.memberOrigin'), 'none') AS subject_origin,
       json_extract(r.fields, '$.fileName') AS file_name,
       NULL AS result, NULL AS caller
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-list'
UNION ALL
SELECT 'listed', r.record_id, r.source_id, s.path, r.line, r.time,
       lower(coalesce(json_extract(r.fields, '$.groupId'), json_extract(l.fields, '$.groupId'))),
       coalesce(json_extract(r.fields, '$.groupName'), json_extract(l.fields, '$.groupName')),
       lower(coalesce(json_extract(r.fields, '$.memberId'), json_extract(l.fields, '$.memberId'))),
       json_extract(r.fields, '$.memberType'), json_extract(r.fields, '$.memberDisplayName'),
       lower(json_extract(r.fields, '$.appId')), json_extract(r.fields, '$.memberIdentityResourceId'),
       json_extract(r.fields, '$.relation'), json_extract(l.fields, '$.listOf'), json_extract(l.fields, '$.complete'),
       NULL, 1,
       coalesce(json_extract(l.fields, '$.groupOrigin'), json_extract(l.fields, '$.memberOrigin'), 'none'),
       json_extract(l.fields, '$.fileName'), NULL, NULL
FROM record_values r JOIN sources s ON s.id = r.source_id
LEFT JOIN record_values l ON l.source_id = r.source_id AND l.kind = 'azure:entra:membership-list'
WHERE r.kind = 'azure:entra:group-member'
  AND coalesce(json_extract(r.fields, '$.groupType'), 'group') = 'group'
UNION ALL
SELECT 'check', r.record_id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), NULL, NULL, NULL, NULL,
       'transitive', NULL, NULL, NULL, json_extract(r.fields, '$.isMember'),
       coalesce(json_extract(r.fields, '$.groupOrigin'), json_extract(r.fields, '$.memberOrigin'), 'none'),
       NULL, NULL, NULL
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-check'
UNION ALL
SELECT json_extract(r.fields, '$.change'), r.record_id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), json_extract(r.fields, '$.memberType'),
       json_extract(r.fields, '$.memberDisplayName'), NULL, NULL,
       'direct', NULL, NULL, NULL, CASE json_extract(r.fields, '$.change') WHEN 'added' THEN 1 ELSE 0 END,
       'payload', NULL, r.result, json_extract(r.fields, '$.initiatedBy')
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:audit-event' AND json_extract(r.fields, '$.change') IN ('added', 'removed');

CREATE VIEW identity_sightings AS
WITH sighted AS (
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           v.identity_resource_id AS resource_id, v.client_id, v.principal_id, v.tenant_id,
           'user-assigned' AS identity_kind, NULL AS attached_kind, NULL AS attached_to
    FROM record_values v WHERE v.kind = 'azure:identity:managed-identity'
    UNION ALL
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           json_extract(u.value, '$.identityResourceId'), json_extract(u.value, '$.clientId'),
           json_extract(u.value, '$.principalId'), NULL, 'user-assigned',
           CASE v.kind WHEN 'azure:batch:pool' THEN 'pool' ELSE 'account' END,
           CASE v.kind WHEN 'azure:batch:pool'
                THEN coalesce(v.account || '/', '') || v.pool
                ELSE v.account END
    FROM record_values v, json_each(coalesce(v.user_assigned_identities, '[]')) u
    WHERE v.kind IN ('azure:batch:pool', 'azure:batch:account')
    UNION ALL
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           NULL, NULL, v.principal_id, v.tenant_id,
           'system-assigned', 'account-system-identity', v.account
    FROM record_values v WHERE v.kind = 'azure:batch:account' AND v.principal_id IS NOT NULL
    UNION ALL
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           v.node_identity_reference, NULL, NULL, NULL,
           'user-assigned', 'node-identity-reference', v.account
    FROM record_values v WHERE v.kind = 'azure:batch:account' AND v.node_identity_reference IS NOT NULL
    UNION ALL
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           v.token_mi_resource_id, v.token_app_id, v.token_oid, v.token_tenant_id,
           NULL, 'token', v.node
    FROM record_values v
    WHERE v.token_oid IS NOT NULL OR v.token_app_id IS NOT NULL
    UNION ALL
    SELECT v.record_id, v.time, v.kind, v.source_id, v.line,
           v.identity_resource_id, v.client_id, v.principal_id, v.tenant_id,
           NULL, 'request', coalesce(v.node, v.pool)
    FROM record_values v
    WHERE v.kind NOT IN ('azure:identity:managed-identity', 'azure:batch:pool', 'azure:batch:account',
                         'azure:rbac:role-assignment', 'azure:rbac:role-definition', 'azure:activitylog:event',
                         'azure:batch:agent-log-line')
      AND (v.identity_resource_id IS NOT NULL OR v.client_id IS NOT NULL OR v.principal_id IS NOT NULL)
)
SELECT sighted.record_id, sighted.time, sighted.kind, s.path AS source, sighted.line, sighted.source_id,
       sighted.resource_id AS identity_resource_id, lower(sighted.client_id) AS client_id,
       lower(sighted.principal_id) AS principal_id, lower(sighted.tenant_id) AS tenant_id,
       sighted.identity_kind, sighted.attached_kind, sighted.attached_to
FROM sighted JOIN sources s ON s.id = sighted.source_id
WHERE coalesce(sighted.resource_id, sighted.client_id, sighted.principal_id) IS NOT NULL;

CREATE VIEW record_values AS
SELECT r.id AS record_id, r.source_id, k.kind, r.line, r.pointer, r.time_ms, r.time, r.time_origin, r.raw, r.fields,
       f.status, f.error_code, f.status_text, f.status_code, f.transport_error, f.no_answer, f.state,
       f.start_task_failure_code, f.start_task_failure_message, f.error_message, f.failure_reason,
       f.authentication_error_detail, f.error_codes, f.error_category, f.result, f.operation_status,
       f.operation_name, f.event_phase,
       coalesce(n_node.value, l_node.value) AS node, coalesce(n_pool.value, l_pool.value) AS pool, n_account.value AS account, f.job, f.task,
       n_principal_id.value AS principal_id, n_client_id.value AS client_id,
       n_identity_resource_id.value AS identity_resource_id, n_tenant_id.value AS tenant_id,
       n_token_oid.value AS token_oid, n_token_app_id.value AS token_app_id,
       n_token_mi_resource_id.value AS token_mi_resource_id, n_token_tenant_id.value AS token_tenant_id,
       n_token_audience.value AS token_audience, f.token_expires_at, f.token_fingerprint,
       n_caller_object_id.value AS caller_object_id, n_caller_app_id.value AS caller_app_id, f.caller,
       n_scope.value AS scope, n_target_resource.value AS target_resource, n_resource.value AS resource,
       n_resource_id.value AS resource_id, f.resource_display_name, f.action, f.url, f.storage_account,
       f.storage_container_url, f.container, f.auto_storage_container_name, f.metadata_header, f.continues_line,
       f.duration_ms, coalesce(f.marker, l.marker) AS marker, coalesce(f.message_at, l.message_at) AS message_at,
       l.level, l.health,
       f.id, f.name, f.principal_type, f.principal_name, f.role_definition_guid, f.role_definition_id,
       f.role_definition_name, f.condition, f.created_on, f.updated_on, f.created_by, f.role_assignment_name,
       f.role_assignment_id, f.account_resource_id, f.pool_resource_id, f.identity_type, f.user_assigned_identities,
       n_auto_storage_account_id.value AS auto_storage_account_id, f.auto_storage_authentication_mode,
       n_node_identity_reference.value AS node_identity_reference, f.pool_allocation_mode, f.key_vault_id,
       f.key_vault_url, f.application_packages, f.resource_file_identities
FROM records r
JOIN record_kinds k ON k.id = r.kind_id
LEFT JOIN record_fields f ON f.record_id = r.id
LEFT JOIN log_line_fields l ON l.record_id = r.id
LEFT JOIN names n_node ON n_node.id = f.node_ref
LEFT JOIN names l_node ON l_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = f.pool_ref
LEFT JOIN names l_pool ON l_pool.id = l.pool_ref
LEFT JOIN names n_account ON n_account.id = f.account_ref
LEFT JOIN names n_principal_id ON n_principal_id.id = f.principal_id_ref
LEFT JOIN names n_client_id ON n_client_id.id = f.client_id_ref
LEFT JOIN names n_identity_resource_id ON n_identity_resource_id.id = f.identity_resource_id_ref
LEFT JOIN names n_tenant_id ON n_tenant_id.id = f.tenant_id_ref
LEFT JOIN names n_token_oid ON n_token_oid.id = f.token_oid_ref
LEFT JOIN names n_token_app_id ON n_token_app_id.id = f.token_app_id_ref
LEFT JOIN names n_token_mi_resource_id ON n_token_mi_resource_id.id = f.token_mi_resource_id_ref
LEFT JOIN names n_token_tenant_id ON n_token_tenant_id.id = f.token_tenant_id_ref
LEFT JOIN names n_token_audience ON n_token_audience.id = f.token_audience_ref
LEFT JOIN names n_caller_object_id ON n_caller_object_id.id = f.caller_object_id_ref
LEFT JOIN names n_caller_app_id ON n_caller_app_id.id = f.caller_app_id_ref
LEFT JOIN names n_scope ON n_scope.id = f.scope_ref
LEFT JOIN names n_target_resource ON n_target_resource.id = f.target_resource_ref
LEFT JOIN names n_resource ON n_resource.id = f.resource_ref
LEFT JOIN names n_resource_id ON n_resource_id.id = f.resource_id_ref
LEFT JOIN names n_auto_storage_account_id ON n_auto_storage_account_id.id = f.auto_storage_account_id_ref
LEFT JOIN names n_node_identity_reference ON n_node_identity_reference.id = f.node_identity_reference_ref;

CREATE VIEW reject_list AS
SELECT j.id AS reject_id, j.source_id, s.path AS source, s.format, j.line, j.pointer, j.reason, j.excerpt
FROM rejects j JOIN sources s ON s.id = j.source_id;

CREATE VIEW role_assignment_history AS
SELECT 'snapshot' AS evidence,
       v.record_id, v.source_id, s.path AS source, v.line, v.time,
       lower(coalesce(v.name, replace(v.id, rtrim(v.id, replace(v.id, '/', '')), ''))) AS assignment_name,
       v.id AS assignment_id,
       lower(v.principal_id) AS principal_id,
       v.principal_type,
       v.principal_name,
       lower(v.role_definition_guid) AS role_definition_guid,
       v.role_definition_name,
       v.scope,
       v.condition,
       v.created_on,
       v.created_by,
       NULL AS operation_status, NULL AS event_phase, NULL AS caller,
       coalesce(v.role_definition_name,
                (SELECT d.role_name FROM role_definitions d
                 WHERE lower(d.role_definition_guid) = lower(v.role_definition_guid)
                 ORDER BY d.source = 'builtin' DESC LIMIT 1)) AS role_name
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-assignment'
UNION ALL
SELECT CASE WHEN lower(v.operation_name) LIKE '%/delete' THEN 'delete' ELSE 'write' END,
       v.record_id, v.source_id, s.path, v.line, v.time,
       lower(v.role_assignment_name),
       v.role_assignment_id,
       lower(v.principal_id),
       v.principal_type,
       NULL,
       lower(v.role_definition_guid),
       NULL,
       v.scope,
       NULL, NULL, NULL,
       v.operation_status,
       v.event_phase,
       v.caller,
       (SELECT d.role_name FROM role_definitions d
        WHERE lower(d.role_definition_guid) = lower(v.role_definition_guid)
        ORDER BY d.source = 'builtin' DESC LIMIT 1)
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:activitylog:event'
  AND lower(v.operation_name) IN
      ('microsoft.authorization/roleassignments/write', 'microsoft.authorization/roleassignments/delete');

CREATE VIEW role_assignments AS
SELECT v.record_id, v.id AS assignment_id, v.principal_id, v.principal_type, v.principal_name,
       v.role_definition_id, v.role_definition_name, v.scope, v.condition, v.created_on, v.updated_on, v.created_by,
       v.time AS observed_at, s.path AS source, v.line, v.pointer
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-assignment';

CREATE VIEW role_definitions AS
SELECT b.role_definition_guid, b.role_name, 'BuiltInRole' AS role_type,
       b.actions, b.not_actions, b.data_actions, b.not_data_actions,
       'builtin' AS source, NULL AS observed_at
FROM builtin_roles b
UNION ALL
SELECT lower(v.role_definition_guid) AS role_definition_guid,
       json_extract(v.fields, '$.roleName') AS role_name,
       json_extract(v.fields, '$.roleType') AS role_type,
       coalesce(json_extract(v.fields, '$.actions'), '[]') AS actions,
       coalesce(json_extract(v.fields, '$.notActions'), '[]') AS not_actions,
       coalesce(json_extract(v.fields, '$.dataActions'), '[]') AS data_actions,
       coalesce(json_extract(v.fields, '$.notDataActions'), '[]') AS not_data_actions,
       s.path AS source, v.time AS observed_at
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-definition';

CREATE VIEW source_summary AS
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin,
       s.ingested_at, s.tool_version, s.status, s.records_read, s.records_stored,
       s.records_rejected, s.records_duplicate, s.command
FROM sources s;

CREATE VIEW timeline AS
SELECT r.time, r.time_origin, k.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN record_kinds k ON k.id = r.kind_id JOIN sources s ON s.id = r.source_id;

CREATE VIEW token_requests AS
SELECT v.record_id, v.time, v.kind, v.node, v.pool, v.status,
       CASE WHEN coalesce(v.no_answer, 0) = 1 THEN 'no-answer'
            WHEN v.kind = 'azure:entra:mi-signin' THEN
                 CASE WHEN coalesce(CAST(v.error_code AS INTEGER), 0) <> 0
                           OR lower(v.result) = 'failure' THEN 'error' ELSE 'ok' END
            WHEN CAST(v.status AS INTEGER) >= 400 OR v.error_code IS NOT NULL THEN 'error'
            WHEN CAST(v.status AS INTEGER) BETWEEN 200 AND 299
                 OR v.token_fingerprint IS NOT NULL THEN 'ok'
       END AS outcome,
       lower(coalesce(v.client_id, v.token_app_id)) AS client_id,
       lower(coalesce(v.principal_id, v.token_oid)) AS principal_id,
       coalesce(v.identity_resource_id, v.token_mi_resource_id) AS identity_resource_id,
       CASE WHEN v.kind = 'azure:imds:token-request'
            THEN coalesce('mi_res_id=' || v.identity_resource_id,
                          'client_id=' || lower(v.client_id),
                          'object_id=' || lower(v.principal_id)) END AS requested_identity,
       coalesce(v.resource, v.token_audience, v.resource_display_name) AS resource,
       CASE WHEN v.kind = 'azure:entra:mi-signin' AND coalesce(CAST(v.error_code AS INTEGER), 0) = 0 THEN NULL
            ELSE CAST(v.error_code AS TEXT) END AS error_code,
       coalesce(v.error_message, v.failure_reason) AS error_message,
       v.metadata_header, v.duration_ms, v.token_fingerprint,
       s.path AS source, v.line
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:entra:mi-signin');
