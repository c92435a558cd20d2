-- name: orphaned_role_assignments
-- description: Role assignments whose principal no longer exists (az shows principalName "" and PowerShell ObjectType Unknown): often the old principal of a deleted or re-created identity. One row per assignment, with the snapshots it was seen in.
-- params: none
SELECT assignment_name, principal_id, principal_type, principal_name, role_name, scope,
       count(*) AS snapshots, min(time) AS first_seen, max(time) AS last_seen,
       min(source) AS source, min(line) AS line
FROM role_assignment_history
WHERE evidence = 'snapshot' AND (principal_type = 'Unknown' OR principal_name = '')
GROUP BY assignment_name, principal_id, scope
ORDER BY first_seen, assignment_name;
