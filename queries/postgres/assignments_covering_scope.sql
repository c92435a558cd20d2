-- name: assignments_covering_scope
-- description: Role assignment evidence at a scope or above it (an assignment applies to everything below its scope), with the role's actions and data actions: who could act on this resource, as far as the evidence shows. One row per assignment and kind of evidence.
-- params:
--   scope: an ARM resource ID or scope, any case (example: /subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-forensics/providers/Microsoft.Storage/storageAccounts/stforensics)
-- PostgreSQL twin of queries/assignments_covering_scope.sql: the bare columns SQLite takes from a group's last row are the
-- values of the group's last record; ties in the order go by the group's key.
WITH wanted AS (
    SELECT lower(rtrim(:scope, '/')) AS scope
),
covering AS (
    SELECT h.*, lower(h.scope) AS scope_key
    FROM role_assignment_history h, wanted w
    WHERE lower(h.scope) = w.scope OR h.scope = '/'
       OR substr(w.scope, 1, length(rtrim(h.scope, '/')) + 1) = lower(rtrim(h.scope, '/')) || '/'
),
grouped AS (
    SELECT evidence, assignment_name, principal_id, scope_key,
           (array_agg(principal_type ORDER BY record_id DESC))[1] AS principal_type,
           (array_agg(principal_name ORDER BY record_id DESC))[1] AS principal_name,
           (array_agg(role_name ORDER BY record_id DESC))[1] AS role_name,
           (array_agg(scope ORDER BY record_id DESC))[1] AS scope,
           (array_agg(role_definition_guid ORDER BY record_id DESC))[1] AS role_definition_guid,
           count(*) AS records, min(time) AS first_seen, max(time) AS last_seen,
           min(source) AS source, min(line) AS line
    FROM covering
    GROUP BY evidence, assignment_name, principal_id, scope_key
)
SELECT g.evidence, g.assignment_name, g.principal_id, g.principal_type, g.principal_name, g.role_name, g.scope,
       (SELECT d.actions FROM role_definitions d WHERE lower(d.role_definition_guid) = g.role_definition_guid LIMIT 1) AS actions,
       (SELECT d.data_actions FROM role_definitions d WHERE lower(d.role_definition_guid) = g.role_definition_guid LIMIT 1) AS data_actions,
       g.records, g.first_seen, g.last_seen, g.source, g.line
FROM grouped g
ORDER BY length(g.scope), g.scope, g.first_seen NULLS FIRST, g.evidence, g.assignment_name NULLS FIRST, g.principal_id NULLS FIRST;
