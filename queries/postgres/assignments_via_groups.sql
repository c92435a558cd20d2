-- name: assignments_via_groups
-- description: Role assignments whose principal is an Entra group (principalType Group, or an ID the membership evidence shows to be a group), with the role, the scope, and the members the evidence shows in the group (directly; nested groups appear as members of type group): what each assignment grants to whom, as far as the evidence goes. One row per assignment.
-- params: none
-- PostgreSQL twin of queries/assignments_via_groups.sql: group_concat(DISTINCT x), which lists values in the order of
-- their first row, is string_agg of each value's first row (row_number() = 1) ordered by that row's place in the view;
-- the columns SQLite takes bare from a group are aggregated (the members columns are one row per group; the scope,
-- grouped case-blind, is its largest spelling where SQLite takes one of its rows'), and NULLs sort first as in SQLite.
WITH groups AS (
    SELECT DISTINCT principal_id AS group_id FROM role_assignment_history WHERE lower(principal_type) = 'group'
    UNION
    SELECT group_id FROM group_membership_evidence WHERE group_id IS NOT NULL
    UNION
    SELECT member_id FROM group_membership_evidence WHERE lower(member_type) = 'group'
),
listed AS (
    SELECT group_id, member_id, member_id || coalesce(' (' || member_name || ')', '') AS member,
           mitrail_membership_branch(evidence) AS branch, record_id,
           row_number() OVER (PARTITION BY group_id, member_id || coalesce(' (' || member_name || ')', '')
                              ORDER BY mitrail_membership_branch(evidence), record_id) AS member_rank
    FROM group_membership_evidence
    WHERE evidence IN ('listed', 'added', 'check') AND is_member = 1 AND member_id IS NOT NULL
),
members AS (
    SELECT group_id, count(DISTINCT member_id) AS member_count,
           string_agg(CASE WHEN member_rank = 1 THEN member END, ',' ORDER BY branch, record_id) AS members
    FROM listed
    GROUP BY group_id
)
SELECT h.assignment_name, h.principal_id AS group_id, max(h.principal_name) AS group_name, max(h.role_name) AS role_name,
       max(h.scope) AS scope,
       min(h.time) AS first_seen, max(h.time) AS last_seen, coalesce(max(m.member_count), 0) AS known_members, max(m.members) AS members,
       min(h.source) AS source, min(h.line) AS line
FROM role_assignment_history h
JOIN groups g ON g.group_id = h.principal_id
LEFT JOIN members m ON m.group_id = h.principal_id
GROUP BY h.assignment_name, h.principal_id, lower(h.scope)
ORDER BY h.principal_id NULLS FIRST, scope NULLS FIRST;
