-- name: identity_observations
-- description: Every sighting of a managed identity's IDs (resource ID, client ID, principal ID, tenant) in the evidence, with what it was attached to (pool, account, node identity reference), when and where: the input of identity resolution.
-- params: none
SELECT record_id, time, kind, source, line,
       identity_resource_id AS resource_id, client_id, principal_id, tenant_id,
       identity_kind, attached_kind, attached_to
FROM identity_sightings
ORDER BY time, record_id;
