-- PostgreSQL twin of the view failures (migrations/0012_index_failures_at_ingest.sql): one row per record that
-- is a failure by its own fields (see failures_by_fields), read from failure_facts. substr takes an integer position.
CREATE VIEW failures AS
SELECT f.record_id, r.time, k.kind, f.code, f.status, n_node.value AS node, n_pool.value AS pool, f.job, f.task,
       coalesce(n_principal.value, f.principal_id) AS principal_id, coalesce(n_client.value, f.client_id) AS client_id,
       coalesce(n_identity.value, f.identity_resource_id) AS identity_resource_id,
       coalesce(n_target.value, f.target) AS target,
       CASE WHEN f.message_at IS NOT NULL THEN substr(r.raw, (f.message_at + 1)::integer) ELSE f.message END AS message,
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
