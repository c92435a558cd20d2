CREATE INDEX records_by_kind_time ON records(kind, time);

CREATE INDEX records_by_source ON records(source_id, line);

CREATE INDEX records_by_time ON records(time);

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
    -- The time in seconds (5 bytes, so the index grows in time order) and SHA-256 (11 bytes) of kind, time, raw text
    -- and occurrence: the same record ingested twice is stored once.
    digest BLOB NOT NULL UNIQUE
, chain BLOB);

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

CREATE VIEW failures AS
SELECT r.id AS record_id, r.time, r.kind,
       CAST(coalesce(json_extract(r.fields, '$.errorCode'), json_extract(r.fields, '$.startTaskFailureCode'),
                     json_extract(r.fields, '$.statusText'), json_extract(r.fields, '$.marker'),
                     json_extract(r.fields, '$.transportError'),
                     CASE WHEN json_extract(r.fields, '$.noAnswer') = 1 THEN 'no-answer' END,
                     CASE r.kind WHEN 'azure:batch:node' THEN json_extract(r.fields, '$.state')
                                 WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.statusCode') END,
                     CASE WHEN CAST(json_extract(r.fields, '$.status') AS INTEGER) >= 400
                          THEN 'HTTP ' || json_extract(r.fields, '$.status') END) AS TEXT) AS code,
       json_extract(r.fields, '$.status') AS status,
       json_extract(r.fields, '$.node') AS node,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.job') AS job,
       json_extract(r.fields, '$.task') AS task,
       lower(CASE r.kind WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.callerObjectId')
                 ELSE coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid')) END) AS principal_id,
       lower(CASE r.kind WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.callerAppId')
                 ELSE coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId')) END) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       coalesce(json_extract(r.fields, '$.scope'), json_extract(r.fields, '$.targetResource'),
                json_extract(r.fields, '$.storageContainerUrl'), json_extract(r.fields, '$.resource'),
                json_extract(r.fields, '$.resourceId')) AS target,
       coalesce(json_extract(r.fields, '$.errorMessage'), json_extract(r.fields, '$.failureReason'),
                json_extract(r.fields, '$.startTaskFailureMessage'),
                CASE r.kind WHEN 'azure:batch:agent-log-line'
                     THEN substr(r.raw, coalesce(json_extract(r.fields, '$.messageAt'), 0) + 1) END) AS message,
       s.path AS source, r.line
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE r.kind
      WHEN 'azure:batch:node' THEN
           lower(json_extract(r.fields, '$.state')) IN ('unusable', 'starting', 'starttaskfailed')
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL OR json_extract(r.fields, '$.startTaskFailureCode') IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN json_extract(r.fields, '$.marker') IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
           OR lower(json_extract(r.fields, '$.result')) = 'failure'
      WHEN 'azure:entra:sp-signin' THEN
           coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
           OR lower(json_extract(r.fields, '$.result')) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(json_extract(r.fields, '$.operationStatus')) = 'failed'
           OR coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
      ELSE coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
           OR coalesce(json_extract(r.fields, '$.noAnswer'), 0) = 1
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL
      END;

CREATE VIEW group_membership_evidence AS
SELECT 'list' AS evidence, r.id AS record_id, r.source_id, s.path AS source, r.line, r.time,
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
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-list'
UNION ALL
SELECT 'listed', r.id, r.source_id, s.path, r.line, r.time,
       lower(coalesce(json_extract(r.fields, '$.groupId'), json_extract(l.fields, '$.groupId'))),
       coalesce(json_extract(r.fields, '$.groupName'), json_extract(l.fields, '$.groupName')),
       lower(coalesce(json_extract(r.fields, '$.memberId'), json_extract(l.fields, '$.memberId'))),
       json_extract(r.fields, '$.memberType'), json_extract(r.fields, '$.memberDisplayName'),
       lower(json_extract(r.fields, '$.appId')), json_extract(r.fields, '$.memberIdentityResourceId'),
       json_extract(r.fields, '$.relation'), json_extract(l.fields, '$.listOf'), json_extract(l.fields, '$.complete'),
       NULL, 1,
       coalesce(json_extract(l.fields, '$.groupOrigin'), json_extract(l.fields, '$.memberOrigin'), 'none'),
       json_extract(l.fields, '$.fileName'), NULL, NULL
FROM records r JOIN sources s ON s.id = r.source_id
LEFT JOIN records l ON l.source_id = r.source_id AND l.kind = 'azure:entra:membership-list'
WHERE r.kind = 'azure:entra:group-member'
  AND coalesce(json_extract(r.fields, '$.groupType'), 'group') = 'group'
UNION ALL
SELECT 'check', r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), NULL, NULL, NULL, NULL,
       'transitive', NULL, NULL, NULL, json_extract(r.fields, '$.isMember'),
       coalesce(json_extract(r.fields, '$.groupOrigin'), json_extract(r.fields, '$.memberOrigin'), 'none'),
       NULL, NULL, NULL
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-check'
UNION ALL
SELECT json_extract(r.fields, '$.change'), r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), json_extract(r.fields, '$.memberType'),
       json_extract(r.fields, '$.memberDisplayName'), NULL, NULL,
       'direct', NULL, NULL, NULL, CASE json_extract(r.fields, '$.change') WHEN 'added' THEN 1 ELSE 0 END,
       'payload', NULL, json_extract(r.fields, '$.result'), json_extract(r.fields, '$.initiatedBy')
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:audit-event' AND json_extract(r.fields, '$.change') IN ('added', 'removed');

CREATE VIEW identity_sightings AS
WITH sighted AS (
    SELECT r.id AS record_id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.identityResourceId') AS resource_id,
           json_extract(r.fields, '$.clientId') AS client_id,
           json_extract(r.fields, '$.principalId') AS principal_id,
           json_extract(r.fields, '$.tenantId') AS tenant_id,
           'user-assigned' AS identity_kind, NULL AS attached_kind, NULL AS attached_to
    FROM records r WHERE r.kind = 'azure:identity:managed-identity'
    UNION ALL
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(u.value, '$.identityResourceId'), json_extract(u.value, '$.clientId'),
           json_extract(u.value, '$.principalId'), NULL, 'user-assigned',
           CASE r.kind WHEN 'azure:batch:pool' THEN 'pool' ELSE 'account' END,
           CASE r.kind WHEN 'azure:batch:pool'
                THEN coalesce(json_extract(r.fields, '$.account') || '/', '') || json_extract(r.fields, '$.pool')
                ELSE json_extract(r.fields, '$.account') END
    FROM records r, json_each(coalesce(json_extract(r.fields, '$.userAssignedIdentities'), '[]')) u
    WHERE r.kind IN ('azure:batch:pool', 'azure:batch:account')
    UNION ALL
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           NULL, NULL, json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tenantId'),
           'system-assigned', 'account-system-identity', json_extract(r.fields, '$.account')
    FROM records r WHERE r.kind = 'azure:batch:account' AND json_extract(r.fields, '$.principalId') IS NOT NULL
    UNION ALL
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.nodeIdentityReference'), NULL, NULL, NULL,
           'user-assigned', 'node-identity-reference', json_extract(r.fields, '$.account')
    FROM records r WHERE r.kind = 'azure:batch:account' AND json_extract(r.fields, '$.nodeIdentityReference') IS NOT NULL
    UNION ALL
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.tokenMiResourceId'), json_extract(r.fields, '$.tokenAppId'),
           json_extract(r.fields, '$.tokenOid'), json_extract(r.fields, '$.tokenTenantId'),
           NULL, 'token', json_extract(r.fields, '$.node')
    FROM records r
    WHERE json_extract(r.fields, '$.tokenOid') IS NOT NULL OR json_extract(r.fields, '$.tokenAppId') IS NOT NULL
    UNION ALL
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.clientId'),
           json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tenantId'),
           NULL, 'request', coalesce(json_extract(r.fields, '$.node'), json_extract(r.fields, '$.pool'))
    FROM records r
    WHERE r.kind NOT IN ('azure:identity:managed-identity', 'azure:batch:pool', 'azure:batch:account',
                         'azure:rbac:role-assignment', 'azure:rbac:role-definition', 'azure:activitylog:event',
                         'azure:batch:agent-log-line')
      AND (json_extract(r.fields, '$.identityResourceId') IS NOT NULL OR json_extract(r.fields, '$.clientId') IS NOT NULL
           OR json_extract(r.fields, '$.principalId') IS NOT NULL)
)
SELECT sighted.record_id, sighted.time, sighted.kind, s.path AS source, sighted.line, sighted.source_id,
       sighted.resource_id AS identity_resource_id, lower(sighted.client_id) AS client_id,
       lower(sighted.principal_id) AS principal_id, lower(sighted.tenant_id) AS tenant_id,
       sighted.identity_kind, sighted.attached_kind, sighted.attached_to
FROM sighted JOIN sources s ON s.id = sighted.source_id
WHERE coalesce(sighted.resource_id, sighted.client_id, sighted.principal_id) IS NOT NULL;

CREATE VIEW reject_list AS
SELECT j.id AS reject_id, j.source_id, s.path AS source, s.format, j.line, j.pointer, j.reason, j.excerpt
FROM rejects j JOIN sources s ON s.id = j.source_id;

CREATE VIEW role_assignment_history AS
SELECT 'snapshot' AS evidence,
       r.id AS record_id, r.source_id, s.path AS source, r.line, r.time,
       lower(coalesce(json_extract(r.fields, '$.name'), replace(json_extract(r.fields, '$.id'), rtrim(json_extract(r.fields, '$.id'), replace(json_extract(r.fields, '$.id'), '/', '')), ''))) AS assignment_name,
       json_extract(r.fields, '$.id') AS assignment_id,
       lower(json_extract(r.fields, '$.principalId')) AS principal_id,
       json_extract(r.fields, '$.principalType') AS principal_type,
       json_extract(r.fields, '$.principalName') AS principal_name,
       lower(json_extract(r.fields, '$.roleDefinitionGuid')) AS role_definition_guid,
       json_extract(r.fields, '$.roleDefinitionName') AS role_definition_name,
       json_extract(r.fields, '$.scope') AS scope,
       json_extract(r.fields, '$.condition') AS condition,
       json_extract(r.fields, '$.createdOn') AS created_on,
       json_extract(r.fields, '$.createdBy') AS created_by,
       NULL AS operation_status, NULL AS event_phase, NULL AS caller,
       coalesce(json_extract(r.fields, '$.roleDefinitionName'),
                (SELECT d.role_name FROM role_definitions d
                 WHERE lower(d.role_definition_guid) = lower(json_extract(r.fields, '$.roleDefinitionGuid'))
                 ORDER BY d.source = 'builtin' DESC LIMIT 1)) AS role_name
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:rbac:role-assignment'
UNION ALL
SELECT CASE WHEN lower(json_extract(r.fields, '$.operationName')) LIKE '%/delete' THEN 'delete' ELSE 'write' END,
       r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.roleAssignmentName')),
       json_extract(r.fields, '$.roleAssignmentId'),
       lower(json_extract(r.fields, '$.principalId')),
       json_extract(r.fields, '$.principalType'),
       NULL,
       lower(json_extract(r.fields, '$.roleDefinitionGuid')),
       NULL,
       json_extract(r.fields, '$.scope'),
       NULL, NULL, NULL,
       json_extract(r.fields, '$.operationStatus'),
       json_extract(r.fields, '$.eventPhase'),
       json_extract(r.fields, '$.caller'),
       (SELECT d.role_name FROM role_definitions d
        WHERE lower(d.role_definition_guid) = lower(json_extract(r.fields, '$.roleDefinitionGuid'))
        ORDER BY d.source = 'builtin' DESC LIMIT 1)
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:activitylog:event'
  AND lower(json_extract(r.fields, '$.operationName')) IN
      ('microsoft.authorization/roleassignments/write', 'microsoft.authorization/roleassignments/delete');

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
       s.records_rejected, s.records_duplicate, s.command
FROM sources s;

CREATE VIEW timeline AS
SELECT r.time, r.time_origin, r.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN sources s ON s.id = r.source_id;

CREATE VIEW token_requests AS
SELECT r.id AS record_id, r.time, r.kind,
       json_extract(r.fields, '$.node') AS node,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.status') AS status,
       CASE WHEN coalesce(json_extract(r.fields, '$.noAnswer'), 0) = 1 THEN 'no-answer'
            WHEN r.kind = 'azure:entra:mi-signin' THEN
                 CASE WHEN coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
                           OR lower(json_extract(r.fields, '$.result')) = 'failure' THEN 'error' ELSE 'ok' END
            WHEN CAST(json_extract(r.fields, '$.status') AS INTEGER) >= 400 OR json_extract(r.fields, '$.errorCode') IS NOT NULL THEN 'error'
            WHEN CAST(json_extract(r.fields, '$.status') AS INTEGER) BETWEEN 200 AND 299
                 OR json_extract(r.fields, '$.tokenFingerprint') IS NOT NULL THEN 'ok'
       END AS outcome,
       lower(coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId'))) AS client_id,
       lower(coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid'))) AS principal_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       CASE WHEN r.kind = 'azure:imds:token-request'
            THEN coalesce('mi_res_id=' || json_extract(r.fields, '$.identityResourceId'),
                          'client_id=' || lower(json_extract(r.fields, '$.clientId')),
                          'object_id=' || lower(json_extract(r.fields, '$.principalId'))) END AS requested_identity,
       coalesce(json_extract(r.fields, '$.resource'), json_extract(r.fields, '$.tokenAudience'),
                json_extract(r.fields, '$.resourceDisplayName')) AS resource,
       CASE WHEN r.kind = 'azure:entra:mi-signin' AND coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) = 0 THEN NULL
            ELSE CAST(json_extract(r.fields, '$.errorCode') AS TEXT) END AS error_code,
       coalesce(json_extract(r.fields, '$.errorMessage'), json_extract(r.fields, '$.failureReason')) AS error_message,
       json_extract(r.fields, '$.metadataHeader') AS metadata_header,
       json_extract(r.fields, '$.durationMs') AS duration_ms,
       json_extract(r.fields, '$.tokenFingerprint') AS token_fingerprint,
       s.path AS source, r.line
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:entra:mi-signin');
