-- Entra group membership as evidence.
--
-- Role assignments are often made to an Entra group: they apply to the group's members, transitively.
-- The membership formats store: one `azure:entra:membership-list` record per list (whose list it is, direct or
-- transitive, complete or a page: a snapshot at the source's observed-at time, like a role assignment list),
-- one `azure:entra:group-member` record per entry of it, `azure:entra:membership-check` records
-- (`az ad group member check`) and `azure:entra:audit-event` records (AuditLogs "Add member to group",
-- "Remove member from group"). A list that does not name its group or member gets it from `--group` /
-- `--member-id`, the command line or the file name; the list record's `subjectOrigin` says which.

-- One row per piece of membership evidence, in the form membership over time is computed from:
--   evidence  'list'    a list as a whole: its subject (group_id for a group's members, member_id for a member's
--                       groups), relation, complete (1 or 0) and the file name stem (a display name may be in it);
--             'listed'  "member_id is in group_id" seen in a list at `time` (relation direct or transitive);
--             'check'   an `az ad group member check` answer: is_member 1 or 0;
--             'added' / 'removed'  an audit log membership change at its exact time (result says whether it succeeded).
CREATE VIEW group_membership_evidence AS
SELECT 'list' AS evidence, r.id AS record_id, r.source_id, s.path AS source, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')) AS group_id,
       json_extract(r.fields, '$.groupName') AS group_name,
       lower(json_extract(r.fields, '$.memberId')) AS member_id,
       NULL AS member_type, NULL AS member_name, NULL AS app_id, NULL AS identity_resource_id,
       json_extract(r.fields, '$.relation') AS relation,
       json_extract(r.fields, '$.listOf') AS list_of,
       json_extract(r.fields, '$.complete') AS complete,
       json_extract(r.fields, '$.incompleteBecause') AS incomplete_because,
       NULL AS is_member,
       coalesce(json_extract(r.fields, '$.groupOrigin'), json_extract(r.fields, '$.memberOrigin'), 'none') AS subject_origin,
       json_extract(r.fields, '$.fileName') AS file_name,
       NULL AS result, NULL AS caller
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-list'
UNION ALL
SELECT 'listed', r.id, r.source_id, s.path, r.line, r.time,
       lower(coalesce(json_extract(r.fields, '$.groupId'), json_extract(l.fields, '$.groupId'))),
       coalesce(json_extract(r.fields, '$.groupName'), json_extract(l.fields, '$.groupName')),
       lower(coalesce(json_extract(r.fields, '$.memberId'), json_extract(l.fields, '$.memberId'))),
       json_extract(r.fields, '$.memberType'), json_extract(r.fields, '$.memberDisplayName'),
       lower(json_extract(r.fields, '$.appId')), json_extract(r.fields, '$.memberIdentityResourceId'),
       json_extract(r.fields, '$.relation'), json_extract(l.fields, '$.listOf'), json_extract(l.fields, '$.complete'),
       NULL, 1,
       coalesce(json_extract(l.fields, '$.groupOrigin'), json_extract(l.fields, '$.memberOrigin'), 'none'),
       json_extract(l.fields, '$.fileName'), NULL, NULL
FROM records r JOIN sources s ON s.id = r.source_id
LEFT JOIN records l ON l.source_id = r.source_id AND l.kind = 'azure:entra:membership-list'
WHERE r.kind = 'azure:entra:group-member'
  AND coalesce(json_extract(r.fields, '$.groupType'), 'group') = 'group'
UNION ALL
SELECT 'check', r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), NULL, NULL, NULL, NULL,
       'transitive', NULL, NULL, NULL, json_extract(r.fields, '$.isMember'),
       coalesce(json_extract(r.fields, '$.groupOrigin'), json_extract(r.fields, '$.memberOrigin'), 'none'),
       NULL, NULL, NULL
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:membership-check'
UNION ALL
SELECT json_extract(r.fields, '$.change'), r.id, r.source_id, s.path, r.line, r.time,
       lower(json_extract(r.fields, '$.groupId')), json_extract(r.fields, '$.groupName'),
       lower(json_extract(r.fields, '$.memberId')), json_extract(r.fields, '$.memberType'),
       json_extract(r.fields, '$.memberDisplayName'), NULL, NULL,
       'direct', NULL, NULL, NULL, CASE json_extract(r.fields, '$.change') WHEN 'added' THEN 1 ELSE 0 END,
       'payload', NULL, json_extract(r.fields, '$.result'), json_extract(r.fields, '$.initiatedBy')
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:entra:audit-event' AND json_extract(r.fields, '$.change') IN ('added', 'removed');
