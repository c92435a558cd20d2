-- name: task_failures
-- description: Batch tasks that failed (task JSON with executionInfo.failureInfo, and TaskFailEvent diagnostic events): job, task, pool, node, code, category, message, and the identity and container of their resource files.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/task_failures.sql: the same SQL, but NULL times sort first as in SQLite.
SELECT f.time, f.job, f.task, f.pool, f.node, f.code,
       r.error_category AS category, f.message,
       f.identity_resource_id,
       coalesce(r.auto_storage_container_name, r.storage_container_url) AS container,
       f.kind, f.source, f.line
FROM failures f JOIN record_values r ON r.record_id = f.record_id
WHERE f.kind IN ('azure:batch:task', 'azure:batch:diagnostic-event')
  AND (:since IS NULL OR f.time >= :since) AND (:until IS NULL OR f.time < :until)
ORDER BY f.time NULLS FIRST, f.record_id;
