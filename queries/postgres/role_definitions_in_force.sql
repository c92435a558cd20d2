-- name: role_definitions_in_force
-- description: The role definitions mitrail evaluates permissions with: the built-in catalog plus every role definition ingested as evidence (the latest one per GUID wins).
-- params: none
-- PostgreSQL twin of queries/role_definitions_in_force.sql: NULL observed_at (the built-in roles) sorts first, as in SQLite.
SELECT lower(role_definition_guid) AS role_definition_guid, role_name, role_type,
       actions, not_actions, data_actions, not_data_actions, source, observed_at
FROM role_definitions
ORDER BY role_definition_guid, source = 'builtin' DESC, observed_at NULLS FIRST;
