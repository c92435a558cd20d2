-- name: failure_records
-- description: Every record that shows a failure (IMDS non-200, storage 401/403, ARM and Batch errors, task and node errors, agent log join/package markers, failed sign-ins, error lines of client logs that no structured record of the same log already holds), with the fields explain uses to diagnose it.
-- params: none
SELECT r.id AS record_id, r.time, r.time_origin, r.kind, s.path AS source, r.line,
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
FROM records r JOIN sources s ON s.id = r.source_id
WHERE (r.kind IN ('azure:imds:token-request', 'azure:imds:token-response')
       AND (coalesce(json_extract(r.fields, '$.status'), 0) NOT BETWEEN 200 AND 299
            OR json_extract(r.fields, '$.noAnswer') = 1)
       AND (json_extract(r.fields, '$.status') IS NOT NULL OR json_extract(r.fields, '$.errorCode') IS NOT NULL
            OR json_extract(r.fields, '$.noAnswer') = 1))
   OR r.kind IN ('azure:storage:error', 'azure:arm:error', 'azure:batch:error')
   OR (r.kind IN ('azure:storage:blob-log', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange',
                  'azure:arm:batch-response-item')
       AND json_extract(r.fields, '$.status') >= 400)
   OR (r.kind IN ('azure:batch:task', 'azure:batch:diagnostic-event') AND json_extract(r.fields, '$.errorCode') IS NOT NULL)
   OR (r.kind = 'azure:batch:node' AND (lower(json_extract(r.fields, '$.state')) IN ('unusable', 'starting', 'starttaskfailed')
                                         OR json_extract(r.fields, '$.errorCode') IS NOT NULL))
   OR (r.kind = 'azure:batch:agent-log-line' AND json_extract(r.fields, '$.marker') IN
       ('TvmJoinPoolInProgress', 'ApplicationPackageError', 'ResourceContainerAccessDenied', 'ResourceContainerListMiscError',
        'AuthorizationPermissionMismatch', 'ImdsIdentityNotFound', 'ImdsThrottled'))
   OR (r.kind = 'azure:entra:mi-signin' AND coalesce(json_extract(r.fields, '$.errorCode'), '0') NOT IN ('0', 0))
   -- A client log line counts once, and not when it only echoes a failure the same log also holds as a
   -- structured record (az --debug: the response's status line, its content, the traceback and the ERROR
   -- summary all repeat the one ARM error): not a continuation line, and no failed exchange or ARM error
   -- of the same source within 60 lines.
   OR (r.kind = 'azure:identity:client-log-line'
       AND (json_extract(r.fields, '$.status') >= 400 OR json_extract(r.fields, '$.errorCode') IS NOT NULL)
       AND json_extract(r.fields, '$.continuesLine') IS NULL
       AND NOT EXISTS (SELECT 1 FROM records o
                       WHERE o.source_id = r.source_id AND o.line BETWEEN r.line - 60 AND r.line + 60
                         AND (o.kind IN ('azure:arm:error', 'azure:storage:error', 'azure:batch:error')
                              OR (o.kind IN ('azure:imds:token-request', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange')
                                  AND (json_extract(o.fields, '$.status') >= 400 OR json_extract(o.fields, '$.noAnswer') = 1)))))
ORDER BY r.time, r.id;
