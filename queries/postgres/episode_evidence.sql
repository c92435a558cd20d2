-- name: episode_evidence
-- description: The evidence rows behind one episode, chosen by what the failures share (kind, code, identity, window), in time order: the failures, then every role assignment evidence (snapshot, write, delete) for their principals, including the change that ended the episode. All parameters are optional; give at least the code or the identity.
-- params:
--   code: failure code as in the failures view (optional, example: AuthorizationPermissionMismatch)
--   kind: record kind (optional, example: azure:storage:blob-log)
--   identity: resource ID, client ID or principal ID on the failures (optional, example: 00000000-0000-0000-0000-0000000000a1)
--   since: first failure time, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/episode_evidence.sql: `x IN cte` is `x IN (SELECT ... FROM cte)`, NULL times sort first, and
-- status (a failure's HTTP status, a role change's operation status) is json, which the team store reads as the
-- integer or text SQLite gives.
WITH chosen AS (
    SELECT * FROM failures
    WHERE (:code IS NULL OR code = :code) AND (:kind IS NULL OR kind = :kind)
      AND (:identity IS NULL OR lower(:identity) IN (principal_id, client_id, lower(identity_resource_id)))
      AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
),
principals AS (
    SELECT principal_id FROM chosen WHERE principal_id IS NOT NULL
    UNION SELECT lower(:identity) WHERE :identity IS NOT NULL
)
SELECT time, 'failure' AS evidence, kind, code, to_json(status) AS status, principal_id, target AS scope, message AS detail,
       source, line, record_id
FROM chosen
UNION ALL
SELECT time, 'role ' || evidence, 'azure:rbac:role-assignment', NULL, to_json(operation_status), principal_id, scope,
       coalesce(role_name, role_definition_guid) || coalesce(' by ' || caller, ''),
       source, line, record_id
FROM role_assignment_history
WHERE principal_id IN (SELECT principal_id FROM principals)
ORDER BY time NULLS FIRST, record_id;
