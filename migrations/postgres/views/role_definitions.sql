-- PostgreSQL twin of the view role_definitions (migrations/0011_views_on_typed_fields.sql).
-- json_extract(fields, '$.key') is mitrail_json_text(fields, 'key') (the fields JSON is text, as SQLite keeps it).
-- Role definitions known to the store: the built-in catalog, then every definition read from evidence.
CREATE VIEW role_definitions AS
SELECT b.role_definition_guid, b.role_name, 'BuiltInRole' AS role_type,
       b.actions, b.not_actions, b.data_actions, b.not_data_actions,
       'builtin' AS source, NULL AS observed_at
FROM builtin_roles b
UNION ALL
SELECT lower(v.role_definition_guid) AS role_definition_guid,
       mitrail_json_text(v.fields, 'roleName') AS role_name,
       mitrail_json_text(v.fields, 'roleType') AS role_type,
       coalesce(mitrail_json_text(v.fields, 'actions'), '[]') AS actions,
       coalesce(mitrail_json_text(v.fields, 'notActions'), '[]') AS not_actions,
       coalesce(mitrail_json_text(v.fields, 'dataActions'), '[]') AS data_actions,
       coalesce(mitrail_json_text(v.fields, 'notDataActions'), '[]') AS not_data_actions,
       s.path AS source, v.time AS observed_at
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind = 'azure:rbac:role-definition';
