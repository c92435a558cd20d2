-- name: timeline_events
-- description: Every event in time order with a one-line summary and its source: failures, token requests, role assignment changes and snapshots, configuration snapshots, log lines.
-- params:
--   since: only events at or after this time (time, optional, example: 2026-03-04T10:00:00Z)
--   until: only events at or before this time (time, optional, example: 2026-03-04T12:00:00Z)
--   pool: only events of this pool (optional, example: pool-a)
--   ids: only events naming one of these identity IDs: a JSON array of resource, client or principal IDs in lower case (optional, example: ["00000000-0000-0000-0000-0000000000a1"])
-- PostgreSQL twin of queries/timeline_events.sql: julianday arithmetic is mitrail_ms, json_each and json_extract are
-- mitrail_json_each and mitrail_json_text, instr is strpos, and substr takes an integer position.
SELECT r.time, r.time_origin, r.kind, s.path AS source, r.line, r.record_id AS record_id,
       trim(
         coalesce(r.operation_name || ' ', '')
         || coalesce(r.operation_status || ' ', '')
         || coalesce('HTTP ' || r.status || ' ', '')
         || coalesce(r.error_code || ' ', r.status_text || ' ', '')
         || coalesce('state ' || r.state || ' ', '')
         || coalesce('[' || r.marker || '] ', '')
         || coalesce(r.role_definition_name || ' ', mitrail_json_text(r.fields, 'roleName') || ' ', '')
         || coalesce('principal ' || r.principal_id || ' ', '')
         || coalesce('at ' || r.scope || ' ', '')
         || coalesce('account ' || r.account || ' ', '')
         || coalesce('autostorage ' || r.auto_storage_authentication_mode || ' ', '')
         || coalesce('node ' || r.node || ' ', '')
         || coalesce('pool ' || r.pool || ' ', '')
         || coalesce('task ' || r.task || ' ', '')
         || coalesce('resource ' || r.resource || ' ', '')
         || CASE WHEN r.kind IN ('azure:batch:agent-log-line', 'azure:identity:client-log-line')
                 THEN substr(r.raw, (coalesce(r.message_at, 0) + 1)::integer, 160) ELSE '' END
       ) AS summary
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE (:since IS NULL OR r.time_ms >= mitrail_ms(:since))
  AND (:until IS NULL OR r.time_ms <= mitrail_ms(:until))
  AND (:pool IS NULL OR lower(r.pool) = lower(:pool))
  AND (:ids IS NULL OR EXISTS (
        SELECT 1 FROM mitrail_json_each(:ids) wanted
        WHERE wanted.value IN (lower(r.principal_id), lower(r.client_id),
                               lower(r.identity_resource_id), lower(r.token_oid),
                               lower(r.token_app_id), lower(r.token_mi_resource_id),
                               lower(r.node_identity_reference))
           OR strpos(lower(coalesce(r.user_assigned_identities, '')), wanted.value) > 0))
ORDER BY r.time_ms IS NULL, r.time_ms, r.record_id;
