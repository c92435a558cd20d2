-- name: timeline_window
-- description: Every record in a window, in time order, with its failure code when it is a failure and the start of its text: the raw time line of the incident.
-- params:
--   since: start of the window, inclusive (time, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, example: 2026-03-04T10:15:00Z)
--   kind: only records of this kind (optional, example: azure:imds:token-request)
-- The window is read through the records' time index; the failure code is looked up per row in failure_facts
-- (the failures view's own table, by record ID).
WITH window AS (
    SELECT CAST(round((julianday(:since) - 2440587.5) * 86400000.0) AS INTEGER) AS since_ms,
           CAST(round((julianday(:until) - 2440587.5) * 86400000.0) AS INTEGER) AS until_ms
)
SELECT r.time, k.kind, (SELECT f.code FROM failure_facts f WHERE f.record_id = r.id) AS failure_code, s.path AS source, r.line,
       substr(replace(replace(r.raw, char(13), ''), char(10), ' '), 1, 160) AS excerpt, r.id AS record_id
FROM window, records r
JOIN record_kinds k ON k.id = r.kind_id
JOIN sources s ON s.id = r.source_id
WHERE r.time_ms >= window.since_ms AND r.time_ms < window.until_ms AND (:kind IS NULL OR k.kind = :kind)
ORDER BY r.time_ms, r.id;
