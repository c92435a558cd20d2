-- PostgreSQL twin of the view failures_by_fields (migrations/0012_index_failures_at_ingest.sql).
-- CAST(x AS INTEGER) is mitrail_integer(x) (SQLite's cast: a text's integer prefix, 0 when none).
-- One row per record that is a failure by its own fields: an HTTP status of 400 or more, no answer,
-- an error code (a sign-in's errorCode 0 is a success), a node that is unusable, starting or whose
-- start task failed, an agent log line with a known marker, a failed Activity Log operation.
-- Computed from the typed fields; the SQLite writer stores its rows in failure_facts, which the push copies.
CREATE VIEW failures_by_fields AS
SELECT v.record_id, v.source_id, v.kind, v.time_ms,
       CAST(coalesce(v.error_code, v.start_task_failure_code, v.status_text, v.marker, v.transport_error,
                     CASE WHEN v.no_answer = 1 THEN 'no-answer' END,
                     CASE v.kind WHEN 'azure:batch:node' THEN v.state
                                 WHEN 'azure:activitylog:event' THEN v.status_code END,
                     CASE WHEN mitrail_integer(v.status) >= 400 THEN 'HTTP ' || v.status END) AS TEXT) AS code,
       v.status, v.node, v.pool, v.job, v.task,
       lower(CASE v.kind WHEN 'azure:activitylog:event' THEN v.caller_object_id
                 ELSE coalesce(v.principal_id, v.token_oid) END) AS principal_id,
       lower(CASE v.kind WHEN 'azure:activitylog:event' THEN v.caller_app_id
                 ELSE coalesce(v.client_id, v.token_app_id) END) AS client_id,
       coalesce(v.identity_resource_id, v.token_mi_resource_id) AS identity_resource_id,
       coalesce(v.scope, v.target_resource, v.storage_container_url, v.resource, v.resource_id) AS target,
       coalesce(v.error_message, v.failure_reason, v.start_task_failure_message) AS message,
       CASE v.kind WHEN 'azure:batch:agent-log-line' THEN coalesce(v.message_at, 0) END AS message_at
FROM record_values v
WHERE v.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE v.kind
      WHEN 'azure:batch:node' THEN
           lower(v.state) IN ('unusable', 'starting', 'starttaskfailed')
           OR v.error_code IS NOT NULL OR v.start_task_failure_code IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN v.marker IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(mitrail_integer(v.error_code), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:entra:sp-signin' THEN
           coalesce(mitrail_integer(v.error_code), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(v.operation_status) = 'failed'
           OR coalesce(mitrail_integer(v.status), 0) >= 400
      ELSE coalesce(mitrail_integer(v.status), 0) >= 400
           OR coalesce(v.no_answer, 0) = 1
           OR v.error_code IS NOT NULL
      END;
