-- name: failure_records
-- description: Every record of the failures view (less client log lines that only echo a failure the same log holds as a structured record), with the fields explain uses to diagnose it (identity IDs, token claims, scope, action, storage container, IMDS request details, request IDs, Azure Policy denial).
-- params: none
SELECT r.record_id AS record_id, r.time, r.time_origin, r.kind, f.source, f.line,
       r.status AS status,
       coalesce(r.error_code, r.status_text) AS code,
       coalesce(r.error_message, r.failure_reason) AS message,
       r.authentication_error_detail AS detail,
       r.error_codes AS error_codes,
       r.state AS state,
       r.marker AS marker,
       r.node AS node,
       r.pool AS pool,
       r.job AS job,
       r.task AS task,
       r.account AS account,
       -- A failed Activity Log operation is the caller's (its error's, when the event's own principal is another's:
       -- a refused role assignment write names the assignee).
       lower(CASE r.kind WHEN 'azure:activitylog:event'
                 THEN coalesce(json_extract(r.fields, '$.errorPrincipalId'), r.caller_object_id,
                               r.principal_id)
                 ELSE coalesce(r.principal_id, r.token_oid) END) AS principal_id,
       lower(CASE r.kind WHEN 'azure:activitylog:event'
                 THEN coalesce(json_extract(r.fields, '$.errorClientId'), r.caller_app_id,
                               r.client_id)
                 ELSE coalesce(r.client_id, r.token_app_id) END) AS client_id,
       coalesce(r.identity_resource_id, r.token_mi_resource_id) AS identity_resource_id,
       r.token_audience AS token_audience,
       r.token_expires_at AS token_expires_at,
       coalesce(json_extract(r.fields, '$.errorScope'), r.scope) AS scope,
       coalesce(json_extract(r.fields, '$.errorAction'), r.action) AS action,
       r.target_resource AS target_resource,
       r.url AS url,
       r.resource AS resource,
       r.container AS container,
       r.storage_container_url AS container_url,
       r.auto_storage_container_name AS autostorage_container,
       r.metadata_header AS metadata_header,
       r.no_answer AS no_answer,
       r.operation_name AS operation_name,
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
                 AND (r.token_fingerprint IS NOT NULL) THEN json_extract(r.fields, '$.tokenIssuedAt') END AS token_issued_at,
       CASE WHEN r.kind IN ('azure:storage:request', 'azure:arm:request', 'azure:http:exchange', 'azure:arm:error', 'azure:storage:error')
                 AND (r.token_fingerprint IS NOT NULL) THEN r.token_fingerprint END AS token_fingerprint,
       CASE r.kind WHEN 'azure:activitylog:event' THEN r.caller END AS caller,
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
FROM failures f JOIN record_values r ON r.record_id = f.record_id
-- A client log line counts once, and not when it only echoes a failure the same log also holds as a
-- structured record (az --debug: the response's status line, its content, the traceback and the ERROR
-- summary all repeat the one ARM error): not a continuation line, and no failed exchange or ARM error
-- of the same source within 60 lines. The neighbours are found in record_fields through its (source_id, line)
-- index (an agent log line, the only record without a record_fields row, is neither).
WHERE r.kind <> 'azure:identity:client-log-line'
   OR (r.continues_line IS NULL
       AND NOT EXISTS (SELECT 1 FROM record_fields o JOIN record_kinds ok ON ok.id = o.kind_id
                       WHERE o.source_id = r.source_id AND o.line BETWEEN r.line - 60 AND r.line + 60
                         AND (ok.kind IN ('azure:arm:error', 'azure:storage:error', 'azure:batch:error')
                              OR (ok.kind IN ('azure:imds:token-request', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange')
                                  AND (o.status >= 400 OR o.no_answer = 1)))))
ORDER BY r.time, r.record_id;
