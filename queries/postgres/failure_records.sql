-- name: failure_records
-- description: Every record of the failures view (less client log lines that only echo a failure the same log holds as a structured record), with the fields explain uses to diagnose it (identity IDs, token claims, scope, action, storage container, IMDS request details).
-- params: none
-- PostgreSQL twin of queries/failure_records.sql: the same SQL, but NULL times sort first as in SQLite.
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
       lower(coalesce(r.principal_id, r.token_oid)) AS principal_id,
       lower(coalesce(r.client_id, r.token_app_id)) AS client_id,
       coalesce(r.identity_resource_id, r.token_mi_resource_id) AS identity_resource_id,
       r.token_audience AS token_audience,
       r.token_expires_at AS token_expires_at,
       r.scope AS scope,
       r.action AS action,
       r.target_resource AS target_resource,
       r.url AS url,
       r.resource AS resource,
       r.container AS container,
       r.storage_container_url AS container_url,
       r.auto_storage_container_name AS autostorage_container,
       r.metadata_header AS metadata_header,
       r.no_answer AS no_answer,
       r.operation_name AS operation_name
FROM failures f JOIN record_values r ON r.record_id = f.record_id
-- A client log line counts once, and not when it only echoes a failure the same log also holds as a
-- structured record (az --debug: the response's status line, its content, the traceback and the ERROR
-- summary all repeat the one ARM error): not a continuation line, and no failed exchange or ARM error
-- of the same source within 60 lines.
WHERE r.kind <> 'azure:identity:client-log-line'
   OR (r.continues_line IS NULL
       AND NOT EXISTS (SELECT 1 FROM record_fields o JOIN record_kinds ok ON ok.id = o.kind_id
                       WHERE o.source_id = r.source_id AND o.line BETWEEN r.line - 60 AND r.line + 60
                         AND (ok.kind IN ('azure:arm:error', 'azure:storage:error', 'azure:batch:error')
                              OR (ok.kind IN ('azure:imds:token-request', 'azure:storage:request', 'azure:arm:request', 'azure:http:exchange')
                                  AND (o.status >= 400 OR o.no_answer = 1)))))
ORDER BY r.time NULLS FIRST, r.record_id;
