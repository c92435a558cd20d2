-- name: role_assignment_evidence
-- description: Every piece of evidence about role assignments, in time order: each assignment seen in a snapshot (role assignment list) and each Activity Log role assignment write or delete, with principal, role, scope and provenance.
-- params: none
SELECT 'snapshot' AS evidence,
       r.id AS record_id, r.source_id, s.path AS source, r.line, r.time,
       lower(coalesce(json_extract(r.fields, '$.name'), replace(json_extract(r.fields, '$.id'), rtrim(json_extract(r.fields, '$.id'), replace(json_extract(r.fields, '$.id'), '/', '')), ''))) AS assignment_name,
       json_extract(r.fields, '$.id') AS assignment_id,
       lower(json_extract(r.fields, '$.principalId')) AS principal_id,
       json_extract(r.fields, '$.principalType') AS principal_type,
       json_extract(r.fields, '$.principalName') AS principal_name,
       lower(json_extract(r.fields, '$.roleDefinitionGuid')) AS role_definition_guid,
       json_extract(r.fields, '$.roleDefinitionName') AS role_definition_name,
       json_extract(r.fields, '$.scope') AS scope,
       json_extract(r.fields, '$.condition') AS condition,
       json_extract(r.fields, '$.createdOn') AS created_on,
       json_extract(r.fields, '$.createdBy') AS created_by,
       NULL AS operation_status, NULL AS event_phase, NULL AS caller
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:rbac:role-assignment'
UNION ALL
SELECT CASE WHEN lower(json_extract(r.fields, '$.operationName')) LIKE '%/delete' THEN 'delete' ELSE 'write' END,
       r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.roleAssignmentName')),
       json_extract(r.fields, '$.roleAssignmentId'),
       lower(json_extract(r.fields, '$.principalId')),
       json_extract(r.fields, '$.principalType'),
       NULL,
       lower(json_extract(r.fields, '$.roleDefinitionGuid')),
       NULL,
       json_extract(r.fields, '$.scope'),
       NULL, NULL, NULL,
       json_extract(r.fields, '$.operationStatus'),
       json_extract(r.fields, '$.eventPhase'),
       json_extract(r.fields, '$.caller')
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:activitylog:event'
  AND lower(json_extract(r.fields, '$.operationName')) IN
      ('microsoft.authorization/roleassignments/write', 'microsoft.authorization/roleassignments/delete')
ORDER BY time, record_id;
