-- name: role_assignment_changes
-- description: Role assignment changes in a window and who made them: Activity Log role assignment writes and deletes (with status and caller), and assignments seen in a snapshot whose createdOn falls in the window (with createdBy).
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
WITH changes AS (
    SELECT time, evidence AS change, operation_status AS status, event_phase,
           principal_id, principal_type, role_name, scope, caller AS made_by, assignment_name, source, line, record_id
    FROM role_assignment_history
    WHERE evidence IN ('write', 'delete')
    UNION ALL
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', min(created_on)), 'created (snapshot)', NULL, NULL,
           principal_id, principal_type, role_name, scope, created_by, assignment_name, min(source), min(line), min(record_id)
    FROM role_assignment_history
    WHERE evidence = 'snapshot' AND created_on IS NOT NULL
    GROUP BY assignment_name, principal_id, scope
)
SELECT time, change, status, event_phase, principal_id, principal_type, role_name, scope, made_by,
       assignment_name, source, line
FROM changes
WHERE time IS NOT NULL AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
ORDER BY time, record_id;
