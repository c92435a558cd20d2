-- name: control_plane_only_identities
-- description: Identities of pools (and Batch accounts' system identities) whose role assignments on the account's autostorage storage account (at, above or below its scope) are all control-plane roles (Owner, Contributor, ...: no Microsoft.Storage data action), so they cannot read or write blobs. Assignments are those seen in any snapshot; roles with no known definition leave an identity out (unknown, not a no).
-- params: none
-- PostgreSQL twin of queries/control_plane_only_identities.sql: json_each is mitrail_json_each, EXISTS flags are aggregated with
-- bool_or / bool_and, the bare identity_resource_id (one per pool identity) is min(), and group_concat(DISTINCT x),
-- which lists values in the order of their first row, is string_agg of each value's first row (row_number() = 1)
-- ordered by the role assignment record it comes from.
WITH holders AS (
    SELECT DISTINCT 'pool' AS holder_kind,
           coalesce(p.account || '/', '') || p.pool AS holder,
           lower(p.account) AS account,
           u.element ->> 'identityResourceId' AS identity_resource_id,
           lower(u.element ->> 'principalId') AS principal_id
    FROM record_values p, mitrail_json_each(coalesce(p.user_assigned_identities, '[]')) u
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
           a.role_name, a.scope, a.record_id,
           EXISTS (SELECT 1 FROM role_definitions d
                   WHERE lower(d.role_definition_guid) = a.role_definition_guid
                      OR (a.role_definition_guid IS NULL AND d.role_name = a.role_definition_name)) AS role_known,
           EXISTS (SELECT 1 FROM role_definitions d, mitrail_json_each(d.data_actions) action
                   WHERE (lower(d.role_definition_guid) = a.role_definition_guid
                          OR (a.role_definition_guid IS NULL AND d.role_name = a.role_definition_name))
                     AND (action.value = '*' OR lower(action.value) LIKE 'microsoft.storage/%')) AS grants_storage_data
    FROM holders h
    JOIN storage st ON st.account = h.account
    JOIN role_assignment_history a ON a.evidence = 'snapshot' AND a.principal_id = h.principal_id
    WHERE lower(a.scope) = lower(st.storage_account_id) OR a.scope = '/'
       OR substr(lower(st.storage_account_id), 1, length(a.scope) + 1) = lower(a.scope) || '/'
       OR substr(lower(a.scope), 1, length(st.storage_account_id) + 1) = lower(st.storage_account_id) || '/'
),
ranked AS (
    SELECT a.*,
           row_number() OVER (PARTITION BY holder_kind, holder, principal_id, storage_account_id, role_name ORDER BY record_id) AS role_rank,
           row_number() OVER (PARTITION BY holder_kind, holder, principal_id, storage_account_id, scope ORDER BY record_id) AS scope_rank
    FROM assignments a
)
SELECT holder_kind, holder, min(identity_resource_id) AS identity_resource_id, principal_id, storage_account_id,
       string_agg(CASE WHEN role_rank = 1 THEN role_name END, ',' ORDER BY record_id) AS roles,
       string_agg(CASE WHEN scope_rank = 1 THEN scope END, ',' ORDER BY record_id) AS scopes
FROM ranked
GROUP BY holder_kind, holder, principal_id, storage_account_id
HAVING NOT bool_or(grants_storage_data) AND bool_and(role_known)
ORDER BY holder_kind DESC, holder, principal_id NULLS FIRST;
