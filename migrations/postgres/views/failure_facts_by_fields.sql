-- PostgreSQL twin of the view failure_facts_by_fields (migrations/0012_index_failures_at_ingest.sql):
-- the rows of failures_by_fields in the form failure_facts holds them.
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
