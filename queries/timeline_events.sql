-- name: timeline_events
-- description: Every event in time order with a one-line summary and its source: failures, token requests, role assignment changes and snapshots, configuration snapshots, log lines.
-- params:
--   since: only events at or after this time (time, optional, example: 2026-03-04T10:00:00Z)
--   until: only events at or before this time (time, optional, example: 2026-03-04T12:00:00Z)
--   pool: only events of this pool (optional, example: pool-a)
--   ids: only events naming one of these identity IDs: a JSON array of resource, client or principal IDs in lower case (optional, example: ["00000000-0000-0000-0000-0000000000a1"])
SELECT r.time, r.time_origin, r.kind, s.path AS source, r.line, r.id AS record_id,
       trim(
         coalesce(json_extract(r.fields, '$.operationName') || ' ', '')
         || coalesce(json_extract(r.fields, '$.operationStatus') || ' ', '')
         || coalesce('HTTP ' || json_extract(r.fields, '$.status') || ' ', '')
         || coalesce(json_extract(r.fields, '$.errorCode') || ' ', json_extract(r.fields, '$.statusText') || ' ', '')
         || coalesce('state ' || json_extract(r.fields, '$.state') || ' ', '')
         || coalesce('[' || json_extract(r.fields, '$.marker') || '] ', '')
         || coalesce(json_extract(r.fields, '$.roleDefinitionName') || ' ', json_extract(r.fields, '$.roleName') || ' ', '')
         || coalesce('principal ' || json_extract(r.fields, '$.principalId') || ' ', '')
         || coalesce('at ' || json_extract(r.fields, '$.scope') || ' ', '')
         || coalesce('account ' || json_extract(r.fields, '$.account') || ' ', '')
         || coalesce('autostorage ' || json_extract(r.fields, '$.autoStorageAuthenticationMode') || ' ', '')
         || coalesce('node ' || json_extract(r.fields, '$.node') || ' ', '')
         || coalesce('pool ' || json_extract(r.fields, '$.pool') || ' ', '')
         || coalesce('task ' || json_extract(r.fields, '$.task') || ' ', '')
         || coalesce('resource ' || json_extract(r.fields, '$.resource') || ' ', '')
         || CASE WHEN r.kind IN ('azure:batch:agent-log-line', 'azure:identity:client-log-line')
                 THEN substr(r.raw, coalesce(json_extract(r.fields, '$.messageAt'), 0) + 1, 160) ELSE '' END
       ) AS summary
FROM records r JOIN sources s ON s.id = r.source_id
WHERE (:since IS NULL OR r.time >= :since)
  AND (:until IS NULL OR r.time <= :until)
  AND (:pool IS NULL OR lower(json_extract(r.fields, '$.pool')) = lower(:pool))
  AND (:ids IS NULL OR EXISTS (
        SELECT 1 FROM json_each(:ids) wanted
        WHERE wanted.value IN (lower(json_extract(r.fields, '$.principalId')), lower(json_extract(r.fields, '$.clientId')),
                               lower(json_extract(r.fields, '$.identityResourceId')), lower(json_extract(r.fields, '$.tokenOid')),
                               lower(json_extract(r.fields, '$.tokenAppId')), lower(json_extract(r.fields, '$.tokenMiResourceId')),
                               lower(json_extract(r.fields, '$.nodeIdentityReference')))
           OR instr(lower(coalesce(json_extract(r.fields, '$.userAssignedIdentities'), '')), wanted.value) > 0))
ORDER BY r.time IS NULL, r.time, r.id;
