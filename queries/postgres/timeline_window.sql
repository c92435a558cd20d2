-- name: timeline_window
-- description: Every record in a window, in time order, with its failure code when it is a failure and the start of its text: the raw time line of the incident.
-- params:
--   since: start of the window, inclusive (time, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, example: 2026-03-04T10:15:00Z)
--   kind: only records of this kind (optional, example: azure:imds:token-request)
-- PostgreSQL twin of queries/timeline_window.sql: window is a reserved word (the CTE is time_window), julianday arithmetic is
-- mitrail_ms, char() is chr().
-- The window is read through the records' time index; the failure code is looked up per row (a record ID
-- lookup) rather than joined: a join would compute the failures view over the whole store first.
WITH time_window AS (
    SELECT mitrail_ms(:since) AS since_ms, mitrail_ms(:until) AS until_ms
)
SELECT r.time, k.kind, (SELECT f.code FROM failures f WHERE f.record_id = r.id) AS failure_code, s.path AS source, r.line,
       substr(replace(replace(r.raw, chr(13), ''), chr(10), ' '), 1, 160) AS excerpt, r.id AS record_id
FROM time_window, records r
JOIN record_kinds k ON k.id = r.kind_id
JOIN sources s ON s.id = r.source_id
WHERE r.time_ms >= time_window.since_ms AND r.time_ms < time_window.until_ms AND (:kind IS NULL OR k.kind = :kind)
ORDER BY r.time_ms, r.id;
