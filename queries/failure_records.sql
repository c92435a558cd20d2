-- name: failure_records
-- description: Every record of the failures view, with the fields explain uses to diagnose it (identity IDs, token claims, scope, action, storage container, IMDS request details).
-- params: none
SELECT r.id AS record_id, r.time, r.time_origin, r.kind, f.source, f.line,
       json_extract(r.fields, '$.status') AS status,
       coalesce(json_extract(r.fields, '$.errorCode'), json_extract(r.fields, '$.statusText')) AS code,
       coalesce(json_extract(r.fields, '$.errorMessage'), json_extract(r.fields, '$.failureReason')) AS message,
       json_extract(r.fields, '$.authenticationErrorDetail') AS detail,
       json_extract(r.fields, '$.errorCodes') AS error_codes,
       json_extract(r.fields, '$.state') AS state,
       json_extract(r.fields, '$.marker') AS marker,
       json_extract(r.fields, '$.node') AS node,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.job') AS job,
       json_extract(r.fields, '$.task') AS task,
       json_extract(r.fields, '$.account') AS account,
       lower(coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid'))) AS principal_id,
       lower(coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId'))) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       json_extract(r.fields, '$.tokenAudience') AS token_audience,
       json_extract(r.fields, '$.tokenExpiresAt') AS token_expires_at,
       json_extract(r.fields, '$.scope') AS scope,
       json_extract(r.fields, '$.action') AS action,
       json_extract(r.fields, '$.targetResource') AS target_resource,
       json_extract(r.fields, '$.url') AS url,
       json_extract(r.fields, '$.resource') AS resource,
       json_extract(r.fields, '$.container') AS container,
       json_extract(r.fields, '$.storageContainerUrl') AS container_url,
       json_extract(r.fields, '$.autoStorageContainerName') AS autostorage_container,
       json_extract(r.fields, '$.metadataHeader') AS metadata_header,
       json_extract(r.fields, '$.noAnswer') AS no_answer,
       json_extract(r.fields, '$.operationName') AS operation_name
FROM failures f JOIN records r ON r.id = f.record_id
ORDER BY r.time, r.id;
