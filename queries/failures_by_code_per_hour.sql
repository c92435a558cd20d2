-- name: failures_by_code_per_hour
-- description: Failures (the failures view) counted per hour, kind and code, with how many nodes and identities they touched and their first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- Grouped on the failure's integer time (its hour as a number) in failure_facts, the failures view's own table
-- (nodes counted by their `names` id, one per distinct name); each time text computed once per row out, from a
-- record that has that time, and a failure's only when a window is given.
WITH grouped AS (
    SELECT (f.time_ms - ((f.time_ms % 3600000) + 3600000) % 3600000) / 3600000 AS hour_key, k.kind, f.code,
           count(*) AS failures,
           count(DISTINCT f.node_ref) AS nodes,
           count(DISTINCT coalesce(coalesce(n_principal.value, f.principal_id), coalesce(n_client.value, f.client_id),
                                   lower(coalesce(n_identity.value, f.identity_resource_id)))) AS identities,
           min(f.time_ms) AS first_ms, max(f.time_ms) AS last_ms
    FROM failure_facts f JOIN record_kinds k ON k.id = f.kind_id
    LEFT JOIN names n_principal ON n_principal.id = f.principal_ref
    LEFT JOIN names n_client ON n_client.id = f.client_ref
    LEFT JOIN names n_identity ON n_identity.id = f.identity_resource_ref
    WHERE (:since IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) >= :since)
      AND (:until IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) < :until)
    GROUP BY hour_key, k.kind, f.code
)
SELECT substr(first_time, 1, 13) || ':00Z' AS hour, kind, code, failures, nodes, identities, first_time, last_time
FROM (SELECT g.*, (SELECT r.time FROM records r WHERE r.time_ms = g.first_ms LIMIT 1) AS first_time,
             (SELECT r.time FROM records r WHERE r.time_ms = g.last_ms LIMIT 1) AS last_time
      FROM grouped g)
ORDER BY hour, failures DESC, kind, code;
