-- name: role_assignment_evidence
-- description: Every piece of evidence about role assignments, in time order: each assignment seen in a snapshot (role assignment list) and each Activity Log role assignment write or delete, with principal, role, scope and provenance.
-- params: none
SELECT evidence, record_id, source_id, source, line, time, assignment_name, assignment_id,
       principal_id, principal_type, principal_name, role_definition_guid, role_definition_name,
       scope, condition, created_on, created_by, operation_status, event_phase, caller
FROM role_assignment_history
ORDER BY time, record_id;
