-- name: successful_operations
-- description: Requests and operations that succeeded, other than IMDS token requests: HTTP 2xx exchanges (Storage, ARM, Key Vault and other services; HAR, SDK recordings, transcripts), StorageBlobLogs 2xx records and succeeded Activity Log operations, with the identity and the token they carried: what shows a fix working, dates a configuration change, and answers a bearer challenge.
-- params: none
SELECT r.id AS record_id, r.time, r.kind, s.path AS source, r.line,
       json_extract(r.fields, '$.status') AS status,
       json_extract(r.fields, '$.method') AS method,
       json_extract(r.fields, '$.url') AS url,
       json_extract(r.fields, '$.targetResource') AS target_resource,
       json_extract(r.fields, '$.operationName') AS operation_name,
       json_extract(r.fields, '$.account') AS account,
       lower(coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid'),
                      json_extract(r.fields, '$.callerObjectId'))) AS principal_id,
       lower(coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId'),
                      json_extract(r.fields, '$.callerAppId'))) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       json_extract(r.fields, '$.tokenAudience') AS token_audience,
       json_extract(r.fields, '$.tokenIssuedAt') AS token_issued_at,
       json_extract(r.fields, '$.tokenExpiresAt') AS token_expires_at,
       json_extract(r.fields, '$.tokenFingerprint') AS token_fingerprint,
       json_extract(r.fields, '$.clientRequestId') AS client_request_id,
       json_extract(r.fields, '$.caller') AS caller
FROM records r JOIN sources s ON s.id = r.source_id
WHERE (r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:storage:blob-log',
                  'azure:arm:batch-response-item')
       AND CAST(json_extract(r.fields, '$.status') AS INTEGER) BETWEEN 200 AND 299)
   OR (r.kind = 'azure:activitylog:event' AND lower(json_extract(r.fields, '$.operationStatus')) = 'succeeded')
ORDER BY r.time, r.id;
