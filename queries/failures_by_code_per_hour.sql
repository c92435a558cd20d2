-- name: failures_by_code_per_hour
-- description: Failures (the failures view) counted per hour, kind and code, with how many nodes and identities they touched and their first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- Grouped on the record's integer time (its hour as a number), each time text computed once per row out, from a
-- record that has that time.
WITH grouped AS (
    SELECT (r.time_ms - ((r.time_ms % 3600000) + 3600000) % 3600000) / 3600000 AS hour_key, f.kind, f.code,
           count(*) AS failures,
           count(DISTINCT f.node) AS nodes,
           count(DISTINCT coalesce(f.principal_id, f.client_id, lower(f.identity_resource_id))) AS identities,
           min(r.time_ms) AS first_ms, max(r.time_ms) AS last_ms
    FROM failures f JOIN records r ON r.id = f.record_id
    WHERE (:since IS NULL OR f.time >= :since) AND (:until IS NULL OR f.time < :until)
    GROUP BY hour_key, f.kind, f.code
)
SELECT substr(first_time, 1, 13) || ':00Z' AS hour, kind, code, failures, nodes, identities, first_time, last_time
FROM (SELECT g.*, (SELECT r.time FROM records r WHERE r.time_ms = g.first_ms LIMIT 1) AS first_time,
             (SELECT r.time FROM records r WHERE r.time_ms = g.last_ms LIMIT 1) AS last_time
      FROM grouped g)
ORDER BY hour, failures DESC, kind, code;
