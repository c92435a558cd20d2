-- name: failures_by_code_per_hour
-- description: Failures (the failures view) counted per hour, kind and code, with how many nodes and identities they touched and their first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/failures_by_code_per_hour.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same): NULLs sort first, as in SQLite.
SELECT substr(time, 1, 13) || ':00Z' AS hour, kind, code,
       count(*) AS failures,
       count(DISTINCT node) AS nodes,
       count(DISTINCT coalesce(principal_id, client_id, lower(identity_resource_id))) AS identities,
       min(time) AS first_time, max(time) AS last_time
FROM failures
WHERE (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
GROUP BY hour, kind, code
ORDER BY hour NULLS FIRST, failures DESC, kind, code NULLS FIRST;
