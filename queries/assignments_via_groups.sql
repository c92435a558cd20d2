-- name: assignments_via_groups
-- description: Role assignments whose principal is an Entra group (principalType Group, or an ID the membership evidence shows to be a group), with the role, the scope, and the members the evidence shows in the group (directly; nested groups appear as members of type group): what each assignment grants to whom, as far as the evidence goes. One row per assignment.
-- params: none
WITH groups AS (
    SELECT DISTINCT principal_id AS group_id FROM role_assignment_history WHERE lower(principal_type) = 'group'
    UNION
    SELECT group_id FROM group_membership_evidence WHERE group_id IS NOT NULL
    UNION
    SELECT member_id FROM group_membership_evidence WHERE lower(member_type) = 'group'
),
members AS (
    SELECT group_id, count(DISTINCT member_id) AS member_count,
           group_concat(DISTINCT member_id || coalesce(' (' || member_name || ')', '')) AS members
    FROM group_membership_evidence
    WHERE evidence IN ('listed', 'added', 'check') AND is_member = 1 AND member_id IS NOT NULL
    GROUP BY group_id
)
SELECT h.assignment_name, h.principal_id AS group_id, max(h.principal_name) AS group_name, max(h.role_name) AS role_name, h.scope,
       min(h.time) AS first_seen, max(h.time) AS last_seen, coalesce(m.member_count, 0) AS known_members, m.members,
       min(h.source) AS source, min(h.line) AS line
FROM role_assignment_history h
JOIN groups g ON g.group_id = h.principal_id
LEFT JOIN members m ON m.group_id = h.principal_id
GROUP BY h.assignment_name, h.principal_id, lower(h.scope)
ORDER BY h.principal_id, h.scope;
