-- name: control_plane_only_identities
-- description: Identities of pools (and Batch accounts' system identities) whose role assignments on the account's autostorage storage account (at, above or below its scope) are all control-plane roles (Owner, Contributor, ...: no Microsoft.Storage data action), so they cannot read or write blobs. Assignments are those seen in any snapshot; roles with no known definition leave an identity out (unknown, not a no).
-- params: none
WITH holders AS (
    SELECT DISTINCT 'pool' AS holder_kind,
           coalesce(p.account || '/', '') || p.pool AS holder,
           lower(p.account) AS account,
           json_extract(u.value, '$.identityResourceId') AS identity_resource_id,
           lower(json_extract(u.value, '$.principalId')) AS principal_id
    FROM record_values p, json_each(coalesce(p.user_assigned_identities, '[]')) u
    WHERE p.kind = 'azure:batch:pool'
    UNION
    SELECT 'account', a.account, lower(a.account),
           NULL, lower(a.principal_id)
    FROM record_values a
    WHERE a.kind = 'azure:batch:account' AND a.principal_id IS NOT NULL
),
storage AS (
    SELECT DISTINCT lower(a.account) AS account,
           a.auto_storage_account_id AS storage_account_id
    FROM record_values a
    WHERE a.kind = 'azure:batch:account' AND a.auto_storage_account_id IS NOT NULL
),
assignments AS (
    SELECT h.holder_kind, h.holder, h.identity_resource_id, h.principal_id, st.storage_account_id,
           a.role_name, a.scope,
           EXISTS (SELECT 1 FROM role_definitions d
                   WHERE lower(d.role_definition_guid) = a.role_definition_guid
                      OR (a.role_definition_guid IS NULL AND d.role_name = a.role_definition_name)) AS role_known,
           EXISTS (SELECT 1 FROM role_definitions d, json_each(d.data_actions) action
                   WHERE (lower(d.role_definition_guid) = a.role_definition_guid
                          OR (a.role_definition_guid IS NULL AND d.role_name = a.role_definition_name))
                     AND (action.value = '*' OR lower(action.value) LIKE 'microsoft.storage/%')) AS grants_storage_data
    FROM holders h
    JOIN storage st ON st.account = h.account
    JOIN role_assignment_history a ON a.evidence = 'snapshot' AND a.principal_id = h.principal_id
    WHERE lower(a.scope) = lower(st.storage_account_id) OR a.scope = '/'
       OR substr(lower(st.storage_account_id), 1, length(a.scope) + 1) = lower(a.scope) || '/'
       OR substr(lower(a.scope), 1, length(st.storage_account_id) + 1) = lower(st.storage_account_id) || '/'
)
SELECT holder_kind, holder, identity_resource_id, principal_id, storage_account_id,
       group_concat(DISTINCT role_name) AS roles,
       group_concat(DISTINCT scope) AS scopes
FROM assignments
GROUP BY holder_kind, holder, principal_id, storage_account_id
HAVING max(grants_storage_data) = 0 AND min(role_known) = 1
ORDER BY holder_kind DESC, holder, principal_id;
