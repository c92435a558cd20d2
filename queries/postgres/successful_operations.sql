-- name: successful_operations
-- description: Requests and operations that succeeded, other than IMDS token requests: HTTP 2xx exchanges (Storage, ARM, Key Vault and other services; HAR, SDK recordings, transcripts), StorageBlobLogs 2xx records and succeeded Activity Log operations, with the identity and the token they carried: what shows a fix working, dates a configuration change, and answers a bearer challenge.
-- params: none
-- PostgreSQL twin of queries/successful_operations.sql: json_extract(fields, '$.key') is mitrail_json_text(fields, 'key'),
-- CAST(x AS INTEGER) is mitrail_integer(x), and NULL times sort first as in SQLite.
SELECT r.record_id AS record_id, r.time, r.kind, s.path AS source, r.line,
       r.status AS status,
       mitrail_json_text(r.fields, 'method') AS method,
       r.url AS url,
       r.target_resource AS target_resource,
       r.operation_name AS operation_name,
       r.account AS account,
       lower(coalesce(r.principal_id, r.token_oid,
                      r.caller_object_id)) AS principal_id,
       lower(coalesce(r.client_id, r.token_app_id,
                      r.caller_app_id)) AS client_id,
       coalesce(r.identity_resource_id, r.token_mi_resource_id) AS identity_resource_id,
       r.token_audience AS token_audience,
       mitrail_json_text(r.fields, 'tokenIssuedAt') AS token_issued_at,
       r.token_expires_at AS token_expires_at,
       r.token_fingerprint AS token_fingerprint,
       mitrail_json_text(r.fields, 'clientRequestId') AS client_request_id,
       r.caller AS caller
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE (r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:storage:blob-log',
                  'azure:arm:batch-response-item')
       AND mitrail_integer(r.status) BETWEEN 200 AND 299)
   OR (r.kind = 'azure:activitylog:event' AND lower(r.operation_status) = 'succeeded')
ORDER BY r.time NULLS FIRST, r.record_id;
