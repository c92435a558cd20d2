-- Failures written at ingest: one narrow row per record that is a failure, in `failure_facts`, so that the
-- `failures` view, explain and the named queries over failures read a million failures without visiting the
-- rest of the store (0011 computed the view over `record_values`: every record, both typed tables and each
-- name column, for every query; in a bundle of millions of agent log lines that was seconds per query).
--
-- `failures_by_fields` says what a failure is (0011's `failures`, unchanged in meaning); the writer fills
-- `failure_facts` from it for each batch of records it stores, in the same transaction, and removes a source's
-- rows with the source's records. This migration fills it for the records already stored. `verify` checks that
-- the table holds exactly what `failures_by_fields` computes from the records.

CREATE TABLE failure_facts (
    record_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    kind_id INTEGER NOT NULL,
    -- The record's time (milliseconds since 1970 UTC), as records.time_ms.
    time_ms INTEGER,
    -- The failure's columns as the `failures` view gives them; node and pool as `names` ids.
    code TEXT,
    status NUMERIC,
    node_ref INTEGER,
    pool_ref INTEGER,
    job TEXT,
    task TEXT,
    -- Each of the four below is a `names` id when its text is one of the store's names (it nearly always is),
    -- else the text in the column after it.
    principal_ref INTEGER,
    principal_id TEXT,
    client_ref INTEGER,
    client_id TEXT,
    identity_resource_ref INTEGER,
    identity_resource_id TEXT,
    target_ref INTEGER,
    target TEXT,
    -- NULL for an agent log line: its message is its raw text from message_at on (0-based offset).
    message TEXT,
    message_at INTEGER
);

-- Failures of a kind (task failures, storage refusals...) without a scan of every failure.
CREATE INDEX failure_facts_by_kind ON failure_facts(kind_id);

-- One row per record that is a failure by its own fields: an HTTP status of 400 or more, no answer,
-- an error code (a sign-in's errorCode 0 is a success), a node that is unusable, starting or whose
-- start task failed, an agent log line with a known marker, a failed Activity Log operation.
-- Computed from the typed fields; the writer stores its rows in failure_facts. Read per typed table, never
-- `records`: every record but agent log lines from record_fields (the kind list keeps agent log lines, which
-- have no row there), then agent log lines with a known marker from log_line_fields. time_ms, source_id and
-- kind_id there repeat the record's.
CREATE VIEW failures_by_fields AS
SELECT v.record_id, v.source_id, k.kind, v.time_ms,
       CAST(coalesce(v.error_code, v.start_task_failure_code, v.status_text, v.marker, v.transport_error,
                     CASE WHEN v.no_answer = 1 THEN 'no-answer' END,
                     CASE k.kind WHEN 'azure:batch:node' THEN v.state
                                 WHEN 'azure:activitylog:event' THEN v.status_code END,
                     CASE WHEN CAST(v.status AS INTEGER) >= 400 THEN 'HTTP ' || v.status END) AS TEXT) AS code,
       v.status, n_node.value AS node, n_pool.value AS pool, v.job, v.task,
       lower(CASE k.kind WHEN 'azure:activitylog:event' THEN n_caller_object_id.value
                 ELSE coalesce(n_principal_id.value, n_token_oid.value) END) AS principal_id,
       lower(CASE k.kind WHEN 'azure:activitylog:event' THEN n_caller_app_id.value
                 ELSE coalesce(n_client_id.value, n_token_app_id.value) END) AS client_id,
       coalesce(n_identity_resource_id.value, n_token_mi_resource_id.value) AS identity_resource_id,
       coalesce(n_scope.value, n_target_resource.value, v.storage_container_url, n_resource.value,
                n_resource_id.value) AS target,
       coalesce(v.error_message, v.failure_reason, v.start_task_failure_message) AS message,
       NULL AS message_at
FROM record_fields v
JOIN record_kinds k ON k.id = v.kind_id
LEFT JOIN names n_node ON n_node.id = v.node_ref
LEFT JOIN names n_pool ON n_pool.id = v.pool_ref
LEFT JOIN names n_principal_id ON n_principal_id.id = v.principal_id_ref
LEFT JOIN names n_client_id ON n_client_id.id = v.client_id_ref
LEFT JOIN names n_identity_resource_id ON n_identity_resource_id.id = v.identity_resource_id_ref
LEFT JOIN names n_token_oid ON n_token_oid.id = v.token_oid_ref
LEFT JOIN names n_token_app_id ON n_token_app_id.id = v.token_app_id_ref
LEFT JOIN names n_token_mi_resource_id ON n_token_mi_resource_id.id = v.token_mi_resource_id_ref
LEFT JOIN names n_caller_object_id ON n_caller_object_id.id = v.caller_object_id_ref
LEFT JOIN names n_caller_app_id ON n_caller_app_id.id = v.caller_app_id_ref
LEFT JOIN names n_scope ON n_scope.id = v.scope_ref
LEFT JOIN names n_target_resource ON n_target_resource.id = v.target_resource_ref
LEFT JOIN names n_resource ON n_resource.id = v.resource_ref
LEFT JOIN names n_resource_id ON n_resource_id.id = v.resource_id_ref
WHERE k.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:http:exchange',
                 'azure:storage:error', 'azure:storage:blob-log', 'azure:storage:request',
                 'azure:arm:error', 'azure:arm:request', 'azure:arm:batch-response-item',
                 'azure:batch:error', 'azure:batch:task', 'azure:batch:diagnostic-event',
                 'azure:identity:client-log-line',
                 'azure:batch:node', 'azure:batch:agent-log-line', 'azure:entra:mi-signin', 'azure:activitylog:event',
                 'azure:entra:sp-signin', 'azure:batch:file-upload-log')
  AND CASE k.kind
      WHEN 'azure:batch:node' THEN
           lower(v.state) IN ('unusable', 'starting', 'starttaskfailed')
           OR v.error_code IS NOT NULL OR v.start_task_failure_code IS NOT NULL
      WHEN 'azure:batch:agent-log-line' THEN v.marker IS NOT NULL
      WHEN 'azure:entra:mi-signin' THEN
           coalesce(CAST(v.error_code AS INTEGER), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:entra:sp-signin' THEN
           coalesce(CAST(v.error_code AS INTEGER), 0) <> 0
           OR lower(v.result) = 'failure'
      WHEN 'azure:activitylog:event' THEN
           lower(v.operation_status) = 'failed'
           OR coalesce(CAST(v.status AS INTEGER), 0) >= 400
      ELSE coalesce(CAST(v.status AS INTEGER), 0) >= 400
           OR coalesce(v.no_answer, 0) = 1
           OR v.error_code IS NOT NULL
      END
UNION ALL
SELECT l.record_id, l.source_id, 'azure:batch:agent-log-line', l.time_ms, CAST(l.marker AS TEXT), NULL,
       n_node.value, n_pool.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(l.message_at, 0)
FROM log_line_fields l
LEFT JOIN names n_node ON n_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = l.pool_ref
WHERE l.marker IS NOT NULL;

-- The rows of failures_by_fields in the form failure_facts holds them (the writer binds ?1 and ?2, the first
-- and last record id of a batch, and ?3, its source).
CREATE VIEW failure_facts_by_fields AS
SELECT v.record_id, v.source_id, (SELECT k.id FROM record_kinds k WHERE k.kind = v.kind) AS kind_id, v.time_ms,
       v.code, v.status,
       (SELECT n.id FROM names n WHERE n.value = v.node) AS node_ref,
       (SELECT n.id FROM names n WHERE n.value = v.pool) AS pool_ref,
       v.job, v.task,
       (SELECT n.id FROM names n WHERE n.value = v.principal_id) AS principal_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.principal_id) THEN v.principal_id END AS principal_id,
       (SELECT n.id FROM names n WHERE n.value = v.client_id) AS client_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.client_id) THEN v.client_id END AS client_id,
       (SELECT n.id FROM names n WHERE n.value = v.identity_resource_id) AS identity_resource_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.identity_resource_id)
            THEN v.identity_resource_id END AS identity_resource_id,
       (SELECT n.id FROM names n WHERE n.value = v.target) AS target_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM names n WHERE n.value = v.target) THEN v.target END AS target,
       v.message, v.message_at
FROM failures_by_fields v;

INSERT INTO failure_facts SELECT * FROM failure_facts_by_fields;

DROP VIEW failures;

-- One row per record that is a failure by its own fields (see failures_by_fields), read from failure_facts.
CREATE VIEW failures AS
SELECT f.record_id, r.time, k.kind, f.code, f.status, n_node.value AS node, n_pool.value AS pool, f.job, f.task,
       coalesce(n_principal.value, f.principal_id) AS principal_id, coalesce(n_client.value, f.client_id) AS client_id,
       coalesce(n_identity.value, f.identity_resource_id) AS identity_resource_id,
       coalesce(n_target.value, f.target) AS target,
       CASE WHEN f.message_at IS NOT NULL THEN substr(r.raw, f.message_at + 1) ELSE f.message END AS message,
       s.path AS source, r.line
FROM failure_facts f
JOIN records r ON r.id = f.record_id
JOIN record_kinds k ON k.id = f.kind_id
JOIN sources s ON s.id = f.source_id
LEFT JOIN names n_node ON n_node.id = f.node_ref
LEFT JOIN names n_pool ON n_pool.id = f.pool_ref
LEFT JOIN names n_principal ON n_principal.id = f.principal_ref
LEFT JOIN names n_client ON n_client.id = f.client_ref
LEFT JOIN names n_identity ON n_identity.id = f.identity_resource_ref
LEFT JOIN names n_target ON n_target.id = f.target_ref;
