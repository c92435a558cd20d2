-- name: failure_records
-- description: Every record of the failures view (less client log lines that only echo a failure the same log holds as a structured record), with the fields explain uses to diagnose it (identity IDs, token claims, scope, action, storage container, IMDS request details, request IDs, Azure Policy denial).
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
       -- A failed Activity Log operation is the caller's (its error's, when the event's own principal is another's:
       -- a refused role assignment write names the assignee).
       lower(CASE r.kind WHEN 'azure:activitylog:event'
                 THEN coalesce(json_extract(r.fields, '$.errorPrincipalId'), json_extract(r.fields, '$.callerObjectId'),
                               json_extract(r.fields, '$.principalId'))
                 ELSE coalesce(json_extract(r.fields, '$.principalId'), json_extract(r.fields, '$.tokenOid')) END) AS principal_id,
       lower(CASE r.kind WHEN 'azure:activitylog:event'
                 THEN coalesce(json_extract(r.fields, '$.errorClientId'), json_extract(r.fields, '$.callerAppId'),
                               json_extract(r.fields, '$.clientId'))
                 ELSE coalesce(json_extract(r.fields, '$.clientId'), json_extract(r.fields, '$.tokenAppId')) END) AS client_id,
       coalesce(json_extract(r.fields, '$.identityResourceId'), json_extract(r.fields, '$.tokenMiResourceId')) AS identity_resource_id,
       json_extract(r.fields, '$.tokenAudience') AS token_audience,
       json_extract(r.fields, '$.tokenExpiresAt') AS token_expires_at,
       coalesce(json_extract(r.fields, '$.errorScope'), json_extract(r.fields, '$.scope')) AS scope,
       coalesce(json_extract(r.fields, '$.errorAction'), json_extract(r.fields, '$.action')) AS action,
       json_extract(r.fields, '$.targetResource') AS target_resource,
       json_extract(r.fields, '$.url') AS url,
       json_extract(r.fields, '$.resource') AS resource,
       json_extract(r.fields, '$.container') AS container,
       json_extract(r.fields, '$.storageContainerUrl') AS container_url,
       json_extract(r.fields, '$.autoStorageContainerName') AS autostorage_container,
       json_extract(r.fields, '$.metadataHeader') AS metadata_header,
       json_extract(r.fields, '$.noAnswer') AS no_answer,
       json_extract(r.fields, '$.operationName') AS operation_name,
       -- The columns below only some kinds of record have: each is read for those kinds only (a store holds a
       -- million failures, most of them IMDS token requests, storage logs and Batch records that have none).
       -- Exchanges (HAR, SDK recordings, transcripts) and error bodies carry the request's IDs, token and method.
       CASE WHEN r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:batch-response-item',
                            'azure:identity:client-log-line')
            THEN json_extract(r.fields, '$.method') END AS method,
       -- StorageBlobLogs' CorrelationId is the request's x-ms-request-id; the ID in a .NET client log's
       -- "Request [ID]" / "Response [ID]" is the client's (x-ms-client-request-id).
       CASE WHEN r.kind = 'azure:storage:blob-log' THEN coalesce(json_extract(r.fields, '$.requestId'), json_extract(r.fields, '$.correlationId'))
            WHEN r.kind IN ('azure:storage:error', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:error',
                            'azure:arm:batch-response-item', 'azure:batch:error')
            THEN json_extract(r.fields, '$.requestId') END AS request_id,
       CASE WHEN r.kind = 'azure:identity:client-log-line' THEN coalesce(json_extract(r.fields, '$.clientRequestId'), json_extract(r.fields, '$.requestId'))
            WHEN r.kind IN ('azure:storage:error', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:error',
                            'azure:arm:batch-response-item', 'azure:storage:blob-log')
            THEN json_extract(r.fields, '$.clientRequestId') END AS client_request_id,
       -- ARM's x-ms-correlation-request-id, which the Activity Log keeps as correlationId.
       CASE WHEN r.kind IN ('azure:arm:request', 'azure:http:exchange', 'azure:arm:error', 'azure:arm:batch-response-item',
                            'azure:storage:request', 'azure:activitylog:event')
            THEN json_extract(r.fields, '$.correlationId') END AS correlation_id,
       CASE WHEN r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:error', 'azure:storage:error')
                 AND instr(r.fields, '"tokenFingerprint"') THEN json_extract(r.fields, '$.tokenIssuedAt') END AS token_issued_at,
       CASE WHEN r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:error', 'azure:storage:error')
                 AND instr(r.fields, '"tokenFingerprint"') THEN json_extract(r.fields, '$.tokenFingerprint') END AS token_fingerprint,
       CASE r.kind WHEN 'azure:activitylog:event' THEN json_extract(r.fields, '$.caller') END AS caller,
       -- An Azure Policy denial (ARM error bodies, exchanges, batch responses, Activity Log events), as one JSON object.
       CASE WHEN r.kind IN ('azure:arm:error', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:batch-response-item', 'azure:activitylog:event')
                 AND instr(r.fields, '"policyDenied":true') THEN
            json_object('assignmentId', json_extract(r.fields, '$.policyAssignmentId'),
                        'assignmentName', json_extract(r.fields, '$.policyAssignmentName'),
                        'assignmentScope', json_extract(r.fields, '$.policyAssignmentScope'),
                        'definitionId', json_extract(r.fields, '$.policyDefinitionId'),
                        'definitionName', json_extract(r.fields, '$.policyDefinitionName'),
                        'target', json_extract(r.fields, '$.policyTarget'),
                        'message', json_extract(r.fields, '$.policyMessage')) END AS policy_denial
FROM failures f JOIN records r ON r.id = f.record_id
-- A client log line counts once, and not when it only echoes a failure the same log also holds as a
-- structured record (az --debug: the response's status line, its content, the traceback and the ERROR
-- summary all repeat the one ARM error): not a continuation line, and no failed exchange or ARM error
-- of the same source within 60 lines.
WHERE r.kind <> 'azure:identity:client-log-line'
   OR (json_extract(r.fields, '$.continuesLine') IS NULL
       AND NOT EXISTS (SELECT 1 FROM records o
                       WHERE o.source_id = r.source_id AND o.line BETWEEN r.line - 60 AND r.line + 60
                         AND (o.kind IN ('azure:arm:error', 'azure:storage:error', 'azure:batch:error')
                              OR (o.kind IN ('azure:imds:token-request', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange')
                                  AND (json_extract(o.fields, '$.status') >= 400 OR json_extract(o.fields, '$.noAnswer') = 1)))))
ORDER BY r.time, r.id;
