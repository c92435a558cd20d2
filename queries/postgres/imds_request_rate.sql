-- name: imds_request_rate
-- description: IMDS token requests per node and minute, to see throttling: requests, answered 200, throttled (429), other errors, no answer, and the busiest second of the minute.
-- params:
--   node: only this compute node (optional, example: tvmps_0000000000000000000000000000000000000000000000000000000000000001_d)
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/imds_request_rate.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same): a comparison summed is cast to an integer first, the per-second
-- grouping also groups by the minute it selects (the same groups), and the sums of sums are cast back to bigint
-- (PostgreSQL sums bigints as numeric).
WITH requests AS (
    SELECT coalesce(node, '') AS node, time, status, outcome
    FROM token_requests
    WHERE kind = 'azure:imds:token-request' AND time IS NOT NULL
      AND (:node IS NULL OR node = :node)
      AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
),
-- One pass: per node and second, then per minute (the busiest second is the largest of its seconds).
per_second AS (
    SELECT node, substr(time, 1, 16) AS minute_start, count(*) AS n, sum((outcome = 'ok')::integer) AS n_ok,
           sum((coalesce(status, 0) = 429)::integer) AS n_throttled,
           sum((outcome = 'error' AND coalesce(status, 0) <> 429)::integer) AS n_errors,
           sum((outcome = 'no-answer')::integer) AS n_no_answer
    FROM requests
    GROUP BY node, substr(time, 1, 19), substr(time, 1, 16)
)
SELECT node, minute_start || ':00Z' AS minute,
       sum(n)::bigint AS requests, sum(n_ok)::bigint AS ok, sum(n_throttled)::bigint AS throttled, sum(n_errors)::bigint AS errors,
       sum(n_no_answer)::bigint AS no_answer, max(n) AS busiest_second
FROM per_second
GROUP BY node, minute_start
ORDER BY node, minute;
