-- name: identity_observations
-- description: Every sighting of a managed identity's IDs (resource ID, client ID, principal ID, tenant) in the evidence, with what it was attached to (pool, account, node identity reference), when and where: the input of identity resolution.
-- params: none
WITH sighted AS (
    -- az identity list/show
    SELECT r.id AS record_id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.identityResourceId') AS resource_id,
           json_extract(r.fields, '$.clientId') AS client_id,
           json_extract(r.fields, '$.principalId') AS principal_id,
           json_extract(r.fields, '$.tenantId') AS tenant_id,
           'user-assigned' AS identity_kind, NULL AS attached_kind, NULL AS attached_to
    FROM records r WHERE r.kind = 'azure:identity:managed-identity'
    UNION ALL
    -- user-assigned identities of pools and accounts
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
    -- the Batch account's system-assigned identity
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           NULL, NULL, json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tenantId'),
           'system-assigned', 'account-system-identity', json_extract(r.fields, '$.account')
    FROM records r WHERE r.kind = 'azure:batch:account' AND json_extract(r.fields, '$.principalId') IS NOT NULL
    UNION ALL
    -- the identity compute nodes use to reach autostorage
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.nodeIdentityReference'), NULL, NULL, NULL,
           'user-assigned', 'node-identity-reference', json_extract(r.fields, '$.account')
    FROM records r WHERE r.kind = 'azure:batch:account' AND json_extract(r.fields, '$.nodeIdentityReference') IS NOT NULL
    UNION ALL
    -- tokens: the claims of the token an identity received
    SELECT r.id, r.time, r.kind, r.source_id, r.line,
           json_extract(r.fields, '$.tokenMiResourceId'), json_extract(r.fields, '$.tokenAppId'),
           json_extract(r.fields, '$.tokenOid'), json_extract(r.fields, '$.tokenTenantId'),
           NULL, 'token', json_extract(r.fields, '$.node')
    FROM records r
    WHERE json_extract(r.fields, '$.tokenOid') IS NOT NULL OR json_extract(r.fields, '$.tokenAppId') IS NOT NULL
    UNION ALL
    -- requests, sign-ins, storage logs and errors that name the identity they acted as
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
SELECT sighted.record_id, sighted.time, sighted.kind, s.path AS source, sighted.line,
       sighted.resource_id, lower(sighted.client_id) AS client_id, lower(sighted.principal_id) AS principal_id,
       lower(sighted.tenant_id) AS tenant_id, sighted.identity_kind, sighted.attached_kind, sighted.attached_to
FROM sighted JOIN sources s ON s.id = sighted.source_id
WHERE coalesce(sighted.resource_id, sighted.client_id, sighted.principal_id) IS NOT NULL
ORDER BY sighted.time, sighted.record_id;
