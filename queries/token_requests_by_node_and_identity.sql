-- name: token_requests_by_node_and_identity
-- description: IMDS token requests grouped by node, the identity the request named (mi_res_id=, client_id= or object_id=; "(none named)" asks for the node's only identity) and HTTP status: how many, the error codes, first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- One pass over the requests' typed fields, times as integers, each time text computed once per row out.
-- `outcome`, `requested_identity` and `error_code` are the token_requests view's, for an IMDS request.
WITH bounds AS (
    SELECT (SELECT id FROM record_kinds WHERE kind = 'azure:imds:token-request') AS kind_id,
           CAST(round((julianday(:since) - 2440587.5) * 86400000.0) AS INTEGER) AS since_ms,
           CAST(round((julianday(:until) - 2440587.5) * 86400000.0) AS INTEGER) AS until_ms
),
requests AS (
    SELECT f.node_ref, f.pool_ref, f.time_ms, f.status,
           coalesce('mi_res_id=' || (SELECT value FROM names WHERE id = f.identity_resource_id_ref),
                    'client_id=' || lower((SELECT value FROM names WHERE id = f.client_id_ref)),
                    'object_id=' || lower((SELECT value FROM names WHERE id = f.principal_id_ref))) AS requested_identity,
           CASE WHEN coalesce(f.no_answer, 0) = 1 THEN 'no-answer'
                WHEN CAST(f.status AS INTEGER) >= 400 OR f.error_code IS NOT NULL THEN 'error'
                WHEN CAST(f.status AS INTEGER) BETWEEN 200 AND 299 OR f.token_fingerprint IS NOT NULL THEN 'ok'
           END AS outcome,
           CAST(f.error_code AS TEXT) AS error_code
    FROM bounds b JOIN record_fields f ON f.kind_id = b.kind_id
    WHERE (:since IS NULL OR f.time_ms >= b.since_ms) AND (:until IS NULL OR f.time_ms < b.until_ms)
),
groups AS (
    SELECT node_ref, pool_ref, min(requested_identity) AS requested_identity, status, outcome,
           count(*) AS requests, group_concat(DISTINCT error_code) AS error_codes,
           min(time_ms) AS first_ms, max(time_ms) AS last_ms
    FROM requests
    GROUP BY node_ref, pool_ref, lower(requested_identity), status, outcome
)
SELECT coalesce((SELECT value FROM names WHERE id = g.node_ref), '') AS node,
       coalesce((SELECT value FROM names WHERE id = g.pool_ref), '') AS pool,
       coalesce(g.requested_identity, '(none named)') AS requested_identity,
       g.status, g.outcome, g.requests, g.error_codes,
       (SELECT r.time FROM records r WHERE r.time_ms = g.first_ms LIMIT 1) AS first_time,
       (SELECT r.time FROM records r WHERE r.time_ms = g.last_ms LIMIT 1) AS last_time
FROM groups g
ORDER BY node, lower(g.requested_identity), first_time;
