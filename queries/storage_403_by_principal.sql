-- name: storage_403_by_principal
-- description: Storage requests refused with 403 (StorageBlobLogs, Storage error bodies, recorded calls), by principal, client, storage account, container and code, with counts and first and last time.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- Read from failure_facts (the failures view's own table, through its kind index): only the 403s of the storage
-- kinds are joined with their typed fields for the account and container; each time text is computed once per
-- row out, from a record that has that time, and a failure's only when a window is given.
WITH grouped AS (
    SELECT coalesce(n_principal.value, f.principal_id, '') AS principal_id,
           coalesce(n_client.value, f.client_id, '') AS client_id,
           coalesce(n_account.value, t.storage_account, '') AS storage_account,
           coalesce(t.container, '') AS container,
           f.code, count(*) AS failures, min(f.time_ms) AS first_ms, max(f.time_ms) AS last_ms
    FROM failure_facts f
    JOIN record_kinds k ON k.id = f.kind_id
    JOIN record_fields t ON t.record_id = f.record_id
    LEFT JOIN names n_principal ON n_principal.id = f.principal_ref
    LEFT JOIN names n_client ON n_client.id = f.client_ref
    LEFT JOIN names n_account ON n_account.id = t.account_ref
    WHERE k.kind IN ('azure:storage:blob-log', 'azure:storage:error', 'azure:storage:request')
      AND CAST(f.status AS INTEGER) = 403
      AND (:since IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) >= :since)
      AND (:until IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) < :until)
    GROUP BY 1, 2, 3, 4, f.code
)
SELECT principal_id, client_id, storage_account, container, code, failures,
       (SELECT r.time FROM records r WHERE r.time_ms = g.first_ms LIMIT 1) AS first_time,
       (SELECT r.time FROM records r WHERE r.time_ms = g.last_ms LIMIT 1) AS last_time
FROM grouped g
ORDER BY failures DESC, first_ms;
