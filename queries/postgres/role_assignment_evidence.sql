-- name: role_assignment_evidence
-- description: Every piece of evidence about role assignments, in time order: each assignment seen in a snapshot (role assignment list) and each Activity Log role assignment write or delete, with principal, role, scope and provenance.
-- params: none
-- PostgreSQL twin of queries/role_assignment_evidence.sql: the same SQL, but NULL times sort first as in SQLite.
SELECT evidence, record_id, source_id, source, line, time, assignment_name, assignment_id,
       principal_id, principal_type, principal_name, role_definition_guid, role_definition_name,
       scope, condition, created_on, created_by, operation_status, event_phase, caller
FROM role_assignment_history
ORDER BY time NULLS FIRST, record_id;
