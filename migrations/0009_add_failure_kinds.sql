-- The failures view learns two kinds, with its columns unchanged:
-- - azure:entra:sp-signin, a service principal sign-in (ServicePrincipalSignInLogs): a failure, as a
--   managed identity sign-in is, when its errorCode is not 0 or its result is failure;
-- - azure:batch:file-upload-log, an entry of a task's output-file upload log (fileuploaderr.txt): a
--   failure by its own fields (an error code, a status of 400 or more), as the other error kinds.
-- Every other kind reads as in 0005. RecordKind.catalog (TrailModel) lists every kind and whether it can
-- be a failure; a test holds this view's kinds to it.
DROP VIEW failures;

CREATE VIEW failures AS
SELECT r.id AS record_id, r.time, r.kind,
       CAST(coalesce(json_extract(r.fields, '$.errorCode'), json_extract(r.fields, '$.startTaskFailureCode'),
                     json_extract(r.fields, '$.statusText'), json_extract(r.fields, '$.marker'),
                     json_extract(r.fields, '$.transportError'),
                     CASE WHEN json_extract(r.fields, '$.noAnswer') = 1 THEN 'no-answer' END,
                     CASE r.kind WHEN 'azure:batch:node' THEN json_extract(r.fields, '$.state')
                                 WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.statusCode') END,
                     CASE WHEN CAST(json_extract(r.fields, '$.status') AS INTEGER) >= 400
                          THEN 'HTTP ' || json_extract(r.fields, '$.status') END) AS TEXT) AS code,
       json_extract(r.fields, '$.status') AS status,
       json_extract(r.fields, '$.node') AS node,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.job') AS job,
       json_extract(r.fields, '$.task') AS task,
       lower(CASE r.kind WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.callerObjectId')
                 ELSE coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid')) END) AS principal_id,
       lower(CASE r.kind WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.callerAppId')
                 ELSE coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId')) END) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       coalesce(json_extract(r.fields, '$.scope'), json_extract(r.fields, '$.targetResource'),
                json_extract(r.fields, '$.storageContainerUrl'), json_extract(r.fields, '$.resource'),
                json_extract(r.fields, '$.resourceId')) AS target,
       coalesce(json_extract(r.fields, '$.errorMessage'), json_extract(r.fields, '$.failureReason'),
                json_extract(r.fields, '$.startTaskFailureMessage'),
                CASE r.kind WHEN 'azure:batch:agent-log-line'
                     THEN substr(r.raw, coalesce(json_extract(r.fields, '$.messageAt'), 0) + 1) END) AS message,
       s.path AS source, r.line
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE r.kind
      WHEN 'azure:batch:node' THEN
           lower(json_extract(r.fields, '$.state')) IN ('unusable', 'starting', 'starttaskfailed')
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL OR json_extract(r.fields, '$.startTaskFailureCode') IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN json_extract(r.fields, '$.marker') IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
           OR lower(json_extract(r.fields, '$.result')) = 'failure'
      WHEN 'azure:entra:sp-signin' THEN
           coalesce(CAST(json_extract(r.fields, '$.errorCode') AS INTEGER), 0) <> 0
           OR lower(json_extract(r.fields, '$.result')) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(json_extract(r.fields, '$.operationStatus')) = 'failed'
           OR coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
      ELSE coalesce(CAST(json_extract(r.fields, '$.status') AS INTEGER), 0) >= 400
           OR coalesce(json_extract(r.fields, '$.noAnswer'), 0) = 1
           OR json_extract(r.fields, '$.errorCode') IS NOT NULL
      END;
