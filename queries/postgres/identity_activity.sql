-- name: identity_activity
-- description: Everything one identity did and was allowed in a window, in time order: every record that names it (token requests, storage and ARM calls, failures, pools and accounts it is attached to) and every role assignment evidence for its principal IDs. Give any of its IDs; the others seen on the same records are followed one step (a re-created identity's resource ID brings both generations).
-- params:
--   identity: the identity's resource ID, client ID or principal ID (example: 00000000-0000-0000-0000-0000000000b1)
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/identity_activity.sql: `x IN cte` is `x IN (SELECT ... FROM cte)`, NULL times sort first,
-- status (a record's HTTP status, a role change's operation status) is json, which the team store reads as the integer
-- or text SQLite gives, and group_concat(DISTINCT x), which lists values in the order of their first row, is
-- string_agg ordered by that row's place in the identity_sightings view (mitrail_sighting_branch).
WITH wanted AS (
    SELECT lower(:identity) AS id
),
named AS (
    SELECT s.* FROM identity_sightings s, wanted w
    WHERE w.id IN (lower(s.identity_resource_id), s.client_id, s.principal_id)
),
ids AS (
    SELECT id AS value FROM wanted
    UNION SELECT lower(identity_resource_id) FROM named WHERE identity_resource_id IS NOT NULL
    UNION SELECT client_id FROM named WHERE client_id IS NOT NULL
    UNION SELECT principal_id FROM named WHERE principal_id IS NOT NULL
),
seen AS (
    SELECT a.record_id, string_agg(a.attachment, ',' ORDER BY a.branch) AS attachments
    FROM (SELECT s.record_id, s.attached_kind || coalesce(' ' || s.attached_to, '') AS attachment,
                 min(mitrail_sighting_branch(s.attached_kind)) AS branch
          FROM identity_sightings s
          WHERE lower(s.identity_resource_id) IN (SELECT value FROM ids) OR s.client_id IN (SELECT value FROM ids)
             OR s.principal_id IN (SELECT value FROM ids)
          GROUP BY s.record_id, 2) a
    GROUP BY a.record_id
),
activity AS (
    SELECT t.time, CASE WHEN f.record_id IS NULL THEN 'seen' ELSE 'failure' END AS activity, t.kind,
           f.code, to_json(r.status) AS status,
           coalesce(f.message, seen.attachments) AS detail,
           coalesce(f.target, r.target_resource, r.resource) AS target,
           t.source, t.line, t.record_id
    FROM seen
    JOIN timeline t ON t.record_id = seen.record_id
    JOIN record_values r ON r.record_id = seen.record_id
    LEFT JOIN failures f ON f.record_id = seen.record_id
    UNION ALL
    SELECT h.time, 'role ' || h.evidence, 'azure:rbac:role-assignment', NULL, to_json(h.operation_status),
           coalesce(h.role_name, h.role_definition_guid) || coalesce(' by ' || h.caller, ''),
           h.scope, h.source, h.line, h.record_id
    FROM role_assignment_history h
    WHERE h.principal_id IN (SELECT value FROM ids)
)
SELECT time, activity, kind, code, status, detail, target, source, line, record_id
FROM activity
WHERE (:since IS NULL OR time >= :since) AND (:until IS NULL OR time < :until)
ORDER BY time NULLS FIRST, record_id;
