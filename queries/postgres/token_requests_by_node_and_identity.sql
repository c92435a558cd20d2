-- name: token_requests_by_node_and_identity
-- description: IMDS token requests grouped by node, the identity the request named (mi_res_id=, client_id= or object_id=; "(none named)" asks for the node's only identity) and HTTP status: how many, the error codes, first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/token_requests_by_node_and_identity.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same): NULLs sort first, ties in the order go by status and
-- outcome, and group_concat(DISTINCT x), which lists values in the order of their first row, is string_agg of each
-- value's first row (row_number() = 1) ordered by record.
WITH ranked AS (
    SELECT t.*, row_number() OVER (PARTITION BY coalesce(node, ''), coalesce(pool, ''), lower(requested_identity), status, outcome,
                                   error_code ORDER BY record_id) AS code_rank
    FROM token_requests t
    WHERE kind = 'azure:imds:token-request'
      AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
)
SELECT coalesce(node, '') AS node, coalesce(pool, '') AS pool,
       coalesce(min(requested_identity), '(none named)') AS requested_identity,
       status, outcome,
       count(*) AS requests,
       string_agg(CASE WHEN code_rank = 1 THEN error_code END, ',' ORDER BY record_id) AS error_codes,
       min(time) AS first_time, max(time) AS last_time
FROM ranked
GROUP BY 1, 2, lower(requested_identity), status, outcome
ORDER BY node, lower(requested_identity) NULLS FIRST, first_time NULLS FIRST, status NULLS FIRST, outcome NULLS FIRST;
