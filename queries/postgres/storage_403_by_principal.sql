-- name: storage_403_by_principal
-- description: Storage requests refused with 403 (StorageBlobLogs, Storage error bodies, recorded calls), by principal, client, storage account, container and code, with counts and first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/storage_403_by_principal.sql: CAST(x AS INTEGER) is mitrail_integer(x); ties in the order go by the
-- group's key.
SELECT coalesce(f.principal_id, '') AS principal_id, coalesce(f.client_id, '') AS client_id,
       coalesce(r.account, r.storage_account, '') AS storage_account,
       coalesce(r.container, '') AS container,
       f.code, count(*) AS failures, min(f.time) AS first_time, max(f.time) AS last_time
FROM failures f JOIN record_values r ON r.record_id = f.record_id
WHERE f.kind IN ('azure:storage:blob-log', 'azure:storage:error', 'azure:storage:request')
  AND mitrail_integer(f.status) = 403
  AND (:since IS NULL OR f.time >= :since) AND (:until IS NULL OR f.time < :until)
GROUP BY 1, 2, 3, 4, f.code
ORDER BY failures DESC, first_time NULLS FIRST, 1, 2, 3, 4, 5 NULLS FIRST;
