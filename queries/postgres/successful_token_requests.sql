-- name: successful_token_requests
-- description: IMDS token requests that succeeded (HTTP 2xx), by node and identity: what ended an IMDS failure.
-- params: none
-- PostgreSQL twin of queries/successful_token_requests.sql: the same SQL, but NULL times sort first as in SQLite.
SELECT r.record_id AS record_id, r.time, s.path AS source, r.line,
       r.node AS node, r.pool AS pool,
       lower(coalesce(r.client_id, r.token_app_id)) AS client_id,
       coalesce(r.identity_resource_id, r.token_mi_resource_id) AS identity_resource_id,
       r.resource AS resource
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:imds:token-request' AND r.status BETWEEN 200 AND 299
ORDER BY r.time NULLS FIRST, r.record_id;
