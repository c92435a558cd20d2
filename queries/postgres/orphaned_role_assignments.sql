-- name: orphaned_role_assignments
-- description: Role assignments whose principal no longer exists (az shows principalName "" and PowerShell ObjectType Unknown): often the old principal of a deleted or re-created identity. One row per assignment, with the snapshots it was seen in.
-- params: none
-- PostgreSQL twin of queries/orphaned_role_assignments.sql: the bare columns SQLite takes from a group's last row are the values of
-- the group's last record, and NULLs sort first.
SELECT assignment_name, principal_id,
       (array_agg(principal_type ORDER BY record_id DESC))[1] AS principal_type,
       (array_agg(principal_name ORDER BY record_id DESC))[1] AS principal_name,
       (array_agg(role_name ORDER BY record_id DESC))[1] AS role_name,
       scope,
       count(*) AS snapshots, min(time) AS first_seen, max(time) AS last_seen,
       min(source) AS source, min(line) AS line
FROM role_assignment_history
WHERE evidence = 'snapshot' AND (principal_type = 'Unknown' OR principal_name = '')
GROUP BY assignment_name, principal_id, scope
ORDER BY first_seen NULLS FIRST, assignment_name NULLS FIRST, principal_id NULLS FIRST, scope NULLS FIRST;
