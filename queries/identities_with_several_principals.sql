-- name: identities_with_several_principals
-- description: User-assigned identity resource IDs seen with more than one principal ID: the identity was deleted and re-created under the same name (new client and principal IDs), and role assignments for the old principal no longer apply. One row per resource ID and principal ID, with when each was seen.
-- params: none
WITH sightings AS (
    SELECT lower(identity_resource_id) AS resource_key, identity_resource_id, principal_id, client_id, time, kind
    FROM identity_sightings
    WHERE identity_resource_id IS NOT NULL AND principal_id IS NOT NULL
),
recreated AS (
    SELECT resource_key FROM sightings GROUP BY resource_key HAVING count(DISTINCT principal_id) > 1
)
SELECT min(identity_resource_id) AS identity_resource_id, principal_id,
       group_concat(DISTINCT client_id) AS client_ids,
       min(time) AS first_seen, max(time) AS last_seen, count(*) AS sightings,
       group_concat(DISTINCT kind) AS kinds
FROM sightings
WHERE resource_key IN recreated
GROUP BY resource_key, principal_id
ORDER BY resource_key, first_seen;
