-- name: identities_with_several_principals
-- description: User-assigned identity resource IDs seen with more than one principal ID: the identity was deleted and re-created under the same name (new client and principal IDs), and role assignments for the old principal no longer apply. One row per resource ID and principal ID, with when each was seen.
-- params: none
-- PostgreSQL twin of queries/identities_with_several_principals.sql: `x IN cte` is `x IN (SELECT ... FROM cte)`, and
-- group_concat(DISTINCT x), which lists values in the order of their first row, is string_agg of each value's first
-- row (row_number() = 1) ordered by that row's place in the identity_sightings view (its branch, then its record).
WITH sightings AS (
    SELECT lower(identity_resource_id) AS resource_key, identity_resource_id, principal_id, client_id, time, kind,
           mitrail_sighting_branch(attached_kind) AS branch, record_id
    FROM identity_sightings
    WHERE identity_resource_id IS NOT NULL AND principal_id IS NOT NULL
),
ranked AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY resource_key, principal_id, client_id ORDER BY branch, record_id) AS client_rank,
           row_number() OVER (PARTITION BY resource_key, principal_id, kind ORDER BY branch, record_id) AS kind_rank
    FROM sightings s
),
recreated AS (
    SELECT resource_key FROM sightings GROUP BY resource_key HAVING count(DISTINCT principal_id) > 1
)
SELECT min(identity_resource_id) AS identity_resource_id, principal_id,
       string_agg(CASE WHEN client_rank = 1 THEN client_id END, ',' ORDER BY branch, record_id) AS client_ids,
       min(time) AS first_seen, max(time) AS last_seen, count(*) AS sightings,
       string_agg(CASE WHEN kind_rank = 1 THEN kind END, ',' ORDER BY branch, record_id) AS kinds
FROM ranked
WHERE resource_key IN (SELECT resource_key FROM recreated)
GROUP BY resource_key, principal_id
ORDER BY resource_key, first_seen NULLS FIRST;
