-- PostgreSQL twin of the view group_membership_evidence (migrations/0011_views_on_typed_fields.sql).
-- json_extract(fields, '$.key') is mitrail_json_text(fields, 'key') for text, mitrail_json_integer for the JSON
-- booleans (complete, isMember), which SQLite gives as 1 or 0.
-- One row per piece of membership evidence, in the form membership over time is computed from:
--   evidence  'list'    a list as a whole: its subject (group_id for a group's members, member_id for a member's
--                       groups), relation, complete (1 or 0) and the file name stem (a display name may be in it);
--             'listed'  "member_id is in group_id" seen in a list at `time` (relation direct or transitive);
--             'check'   an `az ad group member check` answer: is_member 1 or 0;
--             'added' / 'removed'  an audit log membership change at its exact time (result says whether it succeeded).
CREATE VIEW group_membership_evidence AS
SELECT 'list' AS evidence, r.record_id AS record_id, r.source_id, s.path AS source, r.line, r.time,
       lower(mitrail_json_text(r.fields, 'groupId')) AS group_id,
       mitrail_json_text(r.fields, 'groupName') AS group_name,
       lower(mitrail_json_text(r.fields, 'memberId')) AS member_id,
       NULL::text AS member_type, NULL::text AS member_name, NULL::text AS app_id, NULL::text AS identity_resource_id,
       mitrail_json_text(r.fields, 'relation') AS relation,
       mitrail_json_text(r.fields, 'listOf') AS list_of,
       mitrail_json_integer(r.fields, 'complete') AS complete,
       mitrail_json_text(r.fields, 'incompleteBecause') AS incomplete_because,
       NULL::bigint AS is_member,
       coalesce(mitrail_json_text(r.fields, 'groupOrigin'), mitrail_json_text(r.fields, 'memberOrigin'), 'none') AS subject_origin,
       mitrail_json_text(r.fields, 'fileName') AS file_name,
       NULL::text AS result, NULL::text AS caller
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-list'
UNION ALL
SELECT 'listed', r.record_id, r.source_id, s.path, r.line, r.time,
       lower(coalesce(mitrail_json_text(r.fields, 'groupId'), mitrail_json_text(l.fields, 'groupId'))),
       coalesce(mitrail_json_text(r.fields, 'groupName'), mitrail_json_text(l.fields, 'groupName')),
       lower(coalesce(mitrail_json_text(r.fields, 'memberId'), mitrail_json_text(l.fields, 'memberId'))),
       mitrail_json_text(r.fields, 'memberType'), mitrail_json_text(r.fields, 'memberDisplayName'),
       lower(mitrail_json_text(r.fields, 'appId')), mitrail_json_text(r.fields, 'memberIdentityResourceId'),
       mitrail_json_text(r.fields, 'relation'), mitrail_json_text(l.fields, 'listOf'), mitrail_json_integer(l.fields, 'complete'),
       NULL, 1,
       coalesce(mitrail_json_text(l.fields, 'groupOrigin'), mitrail_json_text(l.fields, 'memberOrigin'), 'none'),
       mitrail_json_text(l.fields, 'fileName'), NULL, NULL
FROM record_values r JOIN sources s ON s.id = r.source_id
LEFT JOIN record_values l ON l.source_id = r.source_id AND l.kind = 'azure:entra:membership-list'
WHERE r.kind = 'azure:entra:group-member'
  AND coalesce(mitrail_json_text(r.fields, 'groupType'), 'group') = 'group'
UNION ALL
SELECT 'check', r.record_id, r.source_id, s.path, r.line, r.time,
       lower(mitrail_json_text(r.fields, 'groupId')), mitrail_json_text(r.fields, 'groupName'),
       lower(mitrail_json_text(r.fields, 'memberId')), NULL, NULL, NULL, NULL,
       'transitive', NULL, NULL, NULL, mitrail_json_integer(r.fields, 'isMember'),
       coalesce(mitrail_json_text(r.fields, 'groupOrigin'), mitrail_json_text(r.fields, 'memberOrigin'), 'none'),
       NULL, NULL, NULL
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-check'
UNION ALL
SELECT mitrail_json_text(r.fields, 'change'), r.record_id, r.source_id, s.path, r.line, r.time,
       lower(mitrail_json_text(r.fields, 'groupId')), mitrail_json_text(r.fields, 'groupName'),
       lower(mitrail_json_text(r.fields, 'memberId')), mitrail_json_text(r.fields, 'memberType'),
       mitrail_json_text(r.fields, 'memberDisplayName'), NULL, NULL,
       'direct', NULL, NULL, NULL, CASE mitrail_json_text(r.fields, 'change') WHEN 'added' THEN 1 ELSE 0 END,
       'payload', NULL, r.result, mitrail_json_text(r.fields, 'initiatedBy')
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:audit-event' AND mitrail_json_text(r.fields, 'change') IN ('added', 'removed');
