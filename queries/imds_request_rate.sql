-- name: imds_request_rate
-- description: IMDS token requests per node and minute, to see throttling: requests, answered 200, throttled (429), other errors, no answer, and the busiest second of the minute.
-- params:
--   node: only this compute node (optional, example: tvmps_0000000000000000000000000000000000000000000000000000000000000001_d)
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- One pass over the requests' typed fields, times as integers (milliseconds); each minute's text is computed once,
-- from a record of that minute. `outcome` is the token_requests view's, for an IMDS request; LIMIT -1 keeps
-- `requests` from being flattened into the grouping, so that each row's outcome is computed once, not per sum.
WITH bounds AS (
    SELECT (SELECT id FROM record_kinds WHERE kind = 'azure:imds:token-request') AS kind_id,
           CAST(round((julianday(:since) - 2440587.5) * 86400000.0) AS INTEGER) AS since_ms,
           CAST(round((julianday(:until) - 2440587.5) * 86400000.0) AS INTEGER) AS until_ms
),
requests AS (
    SELECT f.node_ref, f.time_ms, f.status,
           CASE WHEN coalesce(f.no_answer, 0) = 1 THEN 'no-answer'
                WHEN CAST(f.status AS INTEGER) >= 400 OR f.error_code IS NOT NULL THEN 'error'
                WHEN CAST(f.status AS INTEGER) BETWEEN 200 AND 299 OR f.token_fingerprint IS NOT NULL THEN 'ok'
           END AS outcome
    FROM bounds b JOIN record_fields f ON f.kind_id = b.kind_id
    WHERE f.time_ms IS NOT NULL
      AND (:node IS NULL OR f.node_ref = (SELECT id FROM names WHERE value = :node))
      AND (:since IS NULL OR f.time_ms >= b.since_ms) AND (:until IS NULL OR f.time_ms < b.until_ms)
    LIMIT -1
),
-- Per node and second, then per minute (the busiest second is the largest of its seconds).
per_second AS (
    SELECT node_ref, (time_ms - ((time_ms % 60000) + 60000) % 60000) / 60000 AS minute_key, min(time_ms) AS first_ms,
           count(*) AS n, sum(outcome = 'ok') AS n_ok,
           sum(coalesce(status, 0) = 429) AS n_throttled, sum(outcome = 'error' AND coalesce(status, 0) <> 429) AS n_errors,
           sum(outcome = 'no-answer') AS n_no_answer
    FROM requests
    GROUP BY node_ref, (time_ms - ((time_ms % 1000) + 1000) % 1000) / 1000
),
per_minute AS (
    SELECT node_ref, min(first_ms) AS first_ms,
           sum(n) AS requests, sum(n_ok) AS ok, sum(n_throttled) AS throttled, sum(n_errors) AS errors,
           sum(n_no_answer) AS no_answer, max(n) AS busiest_second
    FROM per_second
    GROUP BY node_ref, minute_key
)
SELECT coalesce(n.value, '') AS node,
       substr((SELECT r.time FROM records r WHERE r.time_ms = m.first_ms LIMIT 1), 1, 16) || ':00Z' AS minute,
       m.requests, m.ok, m.throttled, m.errors, m.no_answer, m.busiest_second
FROM per_minute m LEFT JOIN names n ON n.id = m.node_ref
ORDER BY node, minute;
