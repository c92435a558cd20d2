-- name: required_permissions
-- description: What each kind of failure needs: the action or data action, whose identity needs it, the error codes that reveal it, and the least-privilege built-in role that grants it.
-- params: none
-- PostgreSQL twin of queries/required_permissions.sql: the same SQL.
SELECT p.operation, p.description, p.action, p.is_data_action, p.needed_by, p.scope_kind, p.failure_codes,
       p.least_privilege_role_guid, b.role_name AS least_privilege_role
FROM required_permissions p LEFT JOIN builtin_roles b ON b.role_definition_guid = p.least_privilege_role_guid
ORDER BY p.operation;
