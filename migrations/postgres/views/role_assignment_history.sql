-- PostgreSQL twin of the view role_assignment_history (migrations/0011_views_on_typed_fields.sql).
-- The same SQL but for the type of the NULL columns of its first branch, which PostgreSQL must know.
CREATE VIEW role_assignment_history AS
SELECT 'snapshot' AS evidence,
       v.record_id, v.source_id, s.path AS source, v.line, v.time,
       lower(coalesce(v.name, replace(v.id, rtrim(v.id, replace(v.id, '/', '')), ''))) AS assignment_name,
       v.id AS assignment_id,
       lower(v.principal_id) AS principal_id,
       v.principal_type,
       v.principal_name,
       lower(v.role_definition_guid) AS role_definition_guid,
       v.role_definition_name,
       v.scope,
       v.condition,
       v.created_on,
       v.created_by,
       NULL::text AS operation_status, NULL::text AS event_phase, NULL::text AS caller,
       coalesce(v.role_definition_name,
                (SELECT d.role_name FROM role_definitions d
                 WHERE lower(d.role_definition_guid) = lower(v.role_definition_guid)
                 ORDER BY d.source = 'builtin' DESC LIMIT 1)) AS role_name
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-assignment'
UNION ALL
SELECT CASE WHEN lower(v.operation_name) LIKE '%/delete' THEN 'delete' ELSE 'write' END,
       v.record_id, v.source_id, s.path, v.line, v.time,
       lower(v.role_assignment_name),
       v.role_assignment_id,
       lower(v.principal_id),
       v.principal_type,
       NULL,
       lower(v.role_definition_guid),
       NULL,
       v.scope,
       NULL, NULL, NULL,
       v.operation_status,
       v.event_phase,
       v.caller,
       (SELECT d.role_name FROM role_definitions d
        WHERE lower(d.role_definition_guid) = lower(v.role_definition_guid)
        ORDER BY d.source = 'builtin' DESC LIMIT 1)
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:activitylog:event'
  AND lower(v.operation_name) IN
      ('microsoft.authorization/roleassignments/write', 'microsoft.authorization/roleassignments/delete');
