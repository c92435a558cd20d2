-- name: imds_request_rate
-- description: IMDS token requests per node and minute, to see throttling: requests, answered 200, throttled (429), other errors, no answer, and the busiest second of the minute.
-- params:
--   node: only this compute node (optional, example: tvmps_0000000000000000000000000000000000000000000000000000000000000001_d)
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/imds_request_rate.sql: a comparison summed is cast to an integer first, the busiest-second
-- grouping also groups by the minute it selects (the same groups), and the minute is a column of the requests (the
-- busiest-second lookup of a group may only use what the group is grouped by).
WITH requests AS (
    SELECT coalesce(node, '') AS node, time, substr(time, 1, 16) AS minute_key, status, outcome
    FROM token_requests
    WHERE kind = 'azure:imds:token-request' AND time IS NOT NULL
      AND (:node IS NULL OR node = :node)
      AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
),
seconds AS MATERIALIZED (
    SELECT node, substr(time, 1, 16) AS minute, count(*) AS requests
    FROM requests
    GROUP BY node, substr(time, 1, 19), substr(time, 1, 16)
)
SELECT r.node, r.minute_key || ':00Z' AS minute,
       count(*) AS requests,
       sum((r.outcome = 'ok')::integer) AS ok,
       sum((coalesce(r.status, 0) = 429)::integer) AS throttled,
       sum((r.outcome = 'error' AND coalesce(r.status, 0) <> 429)::integer) AS errors,
       sum((r.outcome = 'no-answer')::integer) AS no_answer,
       (SELECT max(s.requests) FROM seconds s WHERE s.node = r.node AND s.minute = r.minute_key) AS busiest_second
FROM requests r
GROUP BY r.node, r.minute_key
ORDER BY r.node, minute;
