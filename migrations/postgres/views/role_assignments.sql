-- PostgreSQL twin of the view role_assignments (migrations/0011_views_on_typed_fields.sql).
-- The same SQL: nothing in it differs between the dialects.
CREATE VIEW role_assignments AS
SELECT v.record_id, v.id AS assignment_id, v.principal_id, v.principal_type, v.principal_name,
       v.role_definition_id, v.role_definition_name, v.scope, v.condition, v.created_on, v.updated_on, v.created_by,
       v.time AS observed_at, s.path AS source, v.line, v.pointer
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-assignment';
