-- name: successful_token_requests
-- description: IMDS token requests that succeeded (HTTP 2xx), by node and identity, with the token's fingerprint and times: what ended an IMDS failure, and the fresh token that ends a token one.
-- params: none
-- PostgreSQL twin of queries/successful_token_requests.sql: json_extract(fields, '$.key') is mitrail_json_text(fields, 'key'),
-- and NULL times sort first as in SQLite.
SELECT r.record_id AS record_id, r.time, r.kind, s.path AS source, r.line,
       r.node AS node, r.pool AS pool,
       lower(coalesce(r.client_id, r.token_app_id)) AS client_id,
       coalesce(r.identity_resource_id, r.token_mi_resource_id) AS identity_resource_id,
       lower(coalesce(r.principal_id, r.token_oid)) AS principal_id,
       r.resource AS resource,
       mitrail_json_text(r.fields, 'tokenIssuedAt') AS token_issued_at,
       r.token_expires_at AS token_expires_at,
       r.token_fingerprint AS token_fingerprint
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:imds:token-request' AND r.status BETWEEN 200 AND 299
ORDER BY r.time NULLS FIRST, r.record_id;
