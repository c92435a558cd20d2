-- name: token_requests_by_node_and_identity
-- description: IMDS token requests grouped by node, the identity the request named (mi_res_id=, client_id= or object_id=; "(none named)" asks for the node's only identity) and HTTP status: how many, the error codes, first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
SELECT coalesce(node, '') AS node, coalesce(pool, '') AS pool,
       coalesce(min(requested_identity), '(none named)') AS requested_identity,
       status, outcome,
       count(*) AS requests,
       group_concat(DISTINCT error_code) AS error_codes,
       min(time) AS first_time, max(time) AS last_time
FROM token_requests
WHERE kind = 'azure:imds:token-request'
  AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
GROUP BY 1, 2, lower(requested_identity), status, outcome
ORDER BY node, lower(requested_identity), first_time;
