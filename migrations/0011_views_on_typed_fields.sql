-- The stable faces of the store (0001, 0002, 0005, 0007 and 0009), defined again over the typed columns of 0010:
-- the same names, columns and meaning; no view parses JSON but for the rare fields no typed column holds.
-- `_ref` columns are resolved through `names` (n_COLUMN aliases), kinds through `record_kinds`.

-- One row per record, with its time, kind, source and line.
CREATE VIEW timeline AS
SELECT r.time, r.time_origin, k.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN record_kinds k ON k.id = r.kind_id JOIN sources s ON s.id = r.source_id;

-- Every record with its typed fields as text, names resolved: the typed counterpart of "records and their
-- fields JSON", for queries that look at records of any kind. Each record has its typed fields in
-- record_fields, or, for a Batch agent log line, in log_line_fields.
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

-- One row per role assignment seen in a snapshot, as written.
CREATE VIEW role_assignments AS
SELECT v.record_id, v.id AS assignment_id, v.principal_id, v.principal_type, v.principal_name,
       v.role_definition_id, v.role_definition_name, v.scope, v.condition, v.created_on, v.updated_on, v.created_by,
       v.time AS observed_at, s.path AS source, v.line, v.pointer
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-assignment';

-- One row per Batch node agent log line, with its marker.
CREATE VIEW agent_log_lines AS
SELECT l.record_id, r.time, r.time_origin, l.level, l.marker, n_node.value AS node, n_pool.value AS pool, l.health,
       substr(r.raw, coalesce(l.message_at, 0) + 1) AS message,
       s.path AS source, l.line
FROM log_line_fields l
JOIN records r ON r.id = l.record_id
JOIN sources s ON s.id = l.source_id
LEFT JOIN names n_node ON n_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = l.pool_ref;

-- Role definitions known to the store: the built-in catalog, then every definition read from evidence.
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

-- One row per record that is a failure by its own fields: an HTTP status of 400 or more, no answer,
-- an error code (a sign-in's errorCode 0 is a success), a node that is unusable, starting or whose
-- start task failed, an agent log line with a known marker, a failed Activity Log operation.
CREATE VIEW failures AS
SELECT v.record_id, v.time, v.kind,
       CAST(coalesce(v.error_code, v.start_task_failure_code, v.status_text, v.marker, v.transport_error,
                     CASE WHEN v.no_answer = 1 THEN 'no-answer' END,
                     CASE v.kind WHEN 'azure:batch:node' THEN v.state
                                 WHEN 'azure:activitylog:event' THEN v.status_code END,
                     CASE WHEN CAST(v.status AS INTEGER) >= 400 THEN 'HTTP ' || v.status END) AS TEXT) AS code,
       v.status, v.node, v.pool, v.job, v.task,
       lower(CASE v.kind WHEN 'azure:activitylog:event' THEN v.caller_object_id
                 ELSE coalesce(v.principal_id, v.token_oid) END) AS principal_id,
       lower(CASE v.kind WHEN 'azure:activitylog:event' THEN v.caller_app_id
                 ELSE coalesce(v.client_id, v.token_app_id) END) AS client_id,
       coalesce(v.identity_resource_id, v.token_mi_resource_id) AS identity_resource_id,
       coalesce(v.scope, v.target_resource, v.storage_container_url, v.resource, v.resource_id) AS target,
       coalesce(v.error_message, v.failure_reason, v.start_task_failure_message,
                CASE v.kind WHEN 'azure:batch:agent-log-line'
                     THEN substr(v.raw, coalesce(v.message_at, 0) + 1) END) AS message,
       s.path AS source, v.line
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE v.kind
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
      END;

-- One row per token request or token record: IMDS exchanges (mitrail captures, HAR, SDK recordings,
-- curl transcripts), saved IMDS response bodies, and Entra managed identity sign-ins (the server's side).
-- Its identity columns are the ones the request named (client_id, object_id, mi_res_id), else the
-- token's claims; requested_identity says how an IMDS request named its identity.
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

-- One row per sighting of a managed identity's IDs, with what it was attached to: pool and account
-- identities, a Batch account's system identity and node identity reference, az identity output,
-- token claims, and requests, sign-ins, storage logs and errors that name the identity they acted as.
-- `mitrail identities` merges these sightings into identities (and generations, when re-created).
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

-- One row per piece of role assignment evidence: an assignment seen in a snapshot (a role assignment
-- list), or an Activity Log role assignment write or delete (with its status and caller).
-- role_name is the name the evidence gives, else the built-in catalog's or an ingested definition's.
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

-- Entra group membership evidence (0007), over the typed columns.
-- One row per piece of membership evidence, in the form membership over time is computed from:
--   evidence  'list'    a list as a whole: its subject (group_id for a group's members, member_id for a member's
--                       groups), relation, complete (1 or 0) and the file name stem (a display name may be in it);
--             'listed'  "member_id is in group_id" seen in a list at `time` (relation direct or transitive);
--             'check'   an `az ad group member check` answer: is_member 1 or 0;
--             'added' / 'removed'  an audit log membership change at its exact time (result says whether it succeeded).
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
