-- name: assignments_covering_scope
-- description: Role assignment evidence at a scope or above it (an assignment applies to everything below its scope), with the role's actions and data actions: who could act on this resource, as far as the evidence shows. One row per assignment and kind of evidence.
-- params:
--   scope: an ARM resource ID or scope, any case (example: /subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-forensics/providers/Microsoft.Storage/storageAccounts/stforensics)
WITH wanted AS (
    SELECT lower(rtrim(:scope, '/')) AS scope
)
SELECT h.evidence, h.assignment_name, h.principal_id, h.principal_type, h.principal_name, h.role_name, h.scope,
       (SELECT d.actions FROM role_definitions d WHERE lower(d.role_definition_guid) = h.role_definition_guid LIMIT 1) AS actions,
       (SELECT d.data_actions FROM role_definitions d WHERE lower(d.role_definition_guid) = h.role_definition_guid LIMIT 1) AS data_actions,
       count(*) AS records, min(h.time) AS first_seen, max(h.time) AS last_seen,
       min(h.source) AS source, min(h.line) AS line
FROM role_assignment_history h, wanted w
WHERE lower(h.scope) = w.scope OR h.scope = '/'
   OR substr(w.scope, 1, length(rtrim(h.scope, '/')) + 1) = lower(rtrim(h.scope, '/')) || '/'
GROUP BY h.evidence, h.assignment_name, h.principal_id, lower(h.scope)
ORDER BY length(h.scope), h.scope, first_seen;
