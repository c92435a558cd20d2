-- name: role_assignment_changes
-- description: Role assignment changes in a window and who made them: Activity Log role assignment writes and deletes (with status and caller), and assignments seen in a snapshot whose createdOn falls in the window (with createdBy).
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/role_assignment_changes.sql: strftime('%Y-%m-%dT%H:%M:%fZ', t) is mitrail_iso_time(t), and the bare
-- columns SQLite takes from a group's last row are the values of the group's last record.
WITH changes AS (
    SELECT time, evidence AS change, operation_status AS status, event_phase,
           principal_id, principal_type, role_name, scope, caller AS made_by, assignment_name, source, line, record_id
    FROM role_assignment_history
    WHERE evidence IN ('write', 'delete')
    UNION ALL
    SELECT mitrail_iso_time(min(created_on)), 'created (snapshot)', NULL, NULL,
           principal_id, (array_agg(principal_type ORDER BY record_id DESC))[1], (array_agg(role_name ORDER BY record_id DESC))[1],
           scope, (array_agg(created_by ORDER BY record_id DESC))[1], assignment_name, min(source), min(line), min(record_id)
    FROM role_assignment_history
    WHERE evidence = 'snapshot' AND created_on IS NOT NULL
    GROUP BY assignment_name, principal_id, scope
)
SELECT time, change, status, event_phase, principal_id, principal_type, role_name, scope, made_by,
       assignment_name, source, line
FROM changes
WHERE time IS NOT NULL AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
ORDER BY time, record_id;
