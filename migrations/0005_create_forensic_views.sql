-- Stable faces for forensic work: failures, token requests, identity sightings, role assignment
-- history and rejects, each one row per piece of evidence with its source and line.
-- They read the records' own fields only (no diagnosis, no identity resolution: that is explain's).
-- Columns are documented in docs/QUERIES.md; a later migration may redefine a view but keeps its columns.
-- IDs (client, principal, tenant) are lower-cased; resource IDs and scopes keep the case they were seen in.

-- One row per record that is a failure by its own fields: an HTTP status of 400 or more, no answer,
-- an error code (a sign-in's errorCode 0 is a success), a node that is unusable, starting or whose
-- start task failed, an agent log line with a known marker, a failed Activity Log operation.
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
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event')
  AND CASE r.kind
      WHEN 'azure:batch:node' THEN
           lower(json_extract(r.fields, '$.state')) IN ('unusable', 'starting', 'starttaskfailed')
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL OR json_extract(r.fields, '$.startTaskFailureCode') IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN json_extract(r.fields, '$.marker') IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
           OR lower(json_extract(r.fields, '$.result')) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(json_extract(r.fields, '$.operationStatus')) = 'failed'
           OR coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
      ELSE coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
           OR coalesce(json_extract(r.fields, '$.noAnswer'), 0) = 1
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL
      END;

-- One row per token request or token record: IMDS exchanges (mitrail captures, HAR, SDK recordings,
-- curl transcripts), saved IMDS response bodies, and Entra managed identity sign-ins (the server's side).
-- Its identity columns are the ones the request named (client_id, object_id, mi_res_id), else the
-- token's claims; requested_identity says how an IMDS request named its identity.
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

-- One row per sighting of a managed identity's IDs, with what it was attached to: pool and account
-- identities, a Batch account's system identity and node identity reference, az identity output,
-- token claims, and requests, sign-ins, storage logs and errors that name the identity they acted as.
-- `mitrail identities` merges these sightings into identities (and generations, when re-created).
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

-- One row per piece of role assignment evidence: an assignment seen in a snapshot (a role assignment
-- list), or an Activity Log role assignment write or delete (with its status and caller).
-- role_name is the name the evidence gives, else the built-in catalog's or an ingested definition's.
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

-- One row per rejected record, with the path and format of the source it came from.
CREATE VIEW reject_list AS
SELECT j.id AS reject_id, j.source_id, s.path AS source, s.format, j.line, j.pointer, j.reason, j.excerpt
FROM rejects j JOIN sources s ON s.id = j.source_id;
