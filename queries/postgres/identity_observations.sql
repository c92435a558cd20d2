-- name: identity_observations
-- description: Every sighting of a managed identity's IDs (resource ID, client ID, principal ID, tenant) in the evidence, with what it was attached to (pool, account, node identity reference), when and where: the input of identity resolution.
-- params: none
-- PostgreSQL twin of queries/identity_observations.sql: the rows of the identity_sightings view, in its order. SQLite
-- keeps the sightings of one record (a pool's identities, a token and its request) in the order the view makes
-- them; PostgreSQL's sort is not stable, so the twin makes the view's branches here with their number and each
-- identity's position in its list, and sorts by them after time and record. NULL times sort first.
WITH sighted AS (
    SELECT 1 AS branch, 0::bigint AS ordinal, v.record_id, v.time, v.kind, v.source_id, v.line,
           v.identity_resource_id AS resource_id, v.client_id, v.principal_id, v.tenant_id,
           'user-assigned'::text AS identity_kind, NULL::text AS attached_kind, NULL::text AS attached_to
    FROM record_values v WHERE v.kind = 'azure:identity:managed-identity'
    UNION ALL
    SELECT 2, u.ordinal, v.record_id, v.time, v.kind, v.source_id, v.line,
           u.element ->> 'identityResourceId', u.element ->> 'clientId',
           u.element ->> 'principalId', NULL, 'user-assigned',
           CASE v.kind WHEN 'azure:batch:pool' THEN 'pool' ELSE 'account' END,
           CASE v.kind WHEN 'azure:batch:pool'
                THEN coalesce(v.account || '/', '') || v.pool
                ELSE v.account END
    FROM record_values v, mitrail_json_each(coalesce(v.user_assigned_identities, '[]')) u
    WHERE v.kind IN ('azure:batch:pool', 'azure:batch:account')
    UNION ALL
    SELECT 3, 0, v.record_id, v.time, v.kind, v.source_id, v.line,
           NULL, NULL, v.principal_id, v.tenant_id,
           'system-assigned', 'account-system-identity', v.account
    FROM record_values v WHERE v.kind = 'azure:batch:account' AND v.principal_id IS NOT NULL
    UNION ALL
    SELECT 4, 0, v.record_id, v.time, v.kind, v.source_id, v.line,
           v.node_identity_reference, NULL, NULL, NULL,
           'user-assigned', 'node-identity-reference', v.account
    FROM record_values v WHERE v.kind = 'azure:batch:account' AND v.node_identity_reference IS NOT NULL
    UNION ALL
    SELECT 5, 0, v.record_id, v.time, v.kind, v.source_id, v.line,
           v.token_mi_resource_id, v.token_app_id, v.token_oid, v.token_tenant_id,
           NULL, 'token', v.node
    FROM record_values v
    WHERE v.token_oid IS NOT NULL OR v.token_app_id IS NOT NULL
    UNION ALL
    SELECT 6, 0, v.record_id, v.time, v.kind, v.source_id, v.line,
           v.identity_resource_id, v.client_id, v.principal_id, v.tenant_id,
           NULL, 'request', coalesce(v.node, v.pool)
    FROM record_values v
    WHERE v.kind NOT IN ('azure:identity:managed-identity', 'azure:batch:pool', 'azure:batch:account',
                         'azure:rbac:role-assignment', 'azure:rbac:role-definition', 'azure:activitylog:event',
                         'azure:batch:agent-log-line')
      AND (v.identity_resource_id IS NOT NULL OR v.client_id IS NOT NULL OR v.principal_id IS NOT NULL)
)
SELECT sighted.record_id, sighted.time, sighted.kind, s.path AS source, sighted.line,
       sighted.resource_id AS resource_id, lower(sighted.client_id) AS client_id, lower(sighted.principal_id) AS principal_id,
       lower(sighted.tenant_id) AS tenant_id, sighted.identity_kind, sighted.attached_kind, sighted.attached_to
FROM sighted JOIN sources s ON s.id = sighted.source_id
WHERE coalesce(sighted.resource_id, sighted.client_id, sighted.principal_id) IS NOT NULL
ORDER BY sighted.time NULLS FIRST, sighted.record_id, sighted.branch, sighted.ordinal;
