-- name: successful_token_requests
-- description: IMDS token requests that succeeded (HTTP 2xx), by node and identity, with the token's fingerprint and times: what ended an IMDS failure, and the fresh token that ends a token one.
-- params: none
SELECT r.id AS record_id, r.time, r.kind, s.path AS source, r.line,
       json_extract(r.fields, '$.node') AS node, json_extract(r.fields, '$.pool') AS pool,
       lower(coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId'))) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       lower(coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid'))) AS principal_id,
       json_extract(r.fields, '$.resource') AS resource,
       json_extract(r.fields, '$.tokenIssuedAt') AS token_issued_at,
       json_extract(r.fields, '$.tokenExpiresAt') AS token_expires_at,
       json_extract(r.fields, '$.tokenFingerprint') AS token_fingerprint
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:imds:token-request' AND json_extract(r.fields, '$.status') BETWEEN 200 AND 299
ORDER BY r.time, r.id;
