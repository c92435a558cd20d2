-- name: timeline_window
-- description: Every record in a window, in time order, with its failure code when it is a failure and the start of its text: the raw time line of the incident.
-- params:
--   since: start of the window, inclusive (time, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, example: 2026-03-04T10:15:00Z)
--   kind: only records of this kind (optional, example: azure:imds:token-request)
-- The failure code is looked up per row (a record ID lookup) rather than joined: a join would compute the
-- failures view over the whole store before reading the window.
SELECT t.time, t.kind, (SELECT f.code FROM failures f WHERE f.record_id = t.record_id) AS failure_code, t.source, t.line,
       substr(replace(replace(t.raw, char(13), ''), char(10), ' '), 1, 160) AS excerpt, t.record_id
FROM timeline t
WHERE t.time >= :since AND t.time < :until AND (:kind IS NULL OR t.kind = :kind)
ORDER BY t.time, t.record_id;
