-- name: group_memberships
-- description: Who was seen in which Entra group: one row per principal, group and relation (direct, or transitive through nested groups), with the first and last time a list, a check or an audit log add showed it, the last audit log removal, and the sources. A list that names no group shows group_id NULL (ingest it with --group).
-- params:
--   principal: only the groups of this principal, an object ID in any case (optional, example: 00000000-0000-0000-0000-0000000000a1)
-- PostgreSQL twin of queries/group_memberships.sql: group_concat(DISTINCT x), which lists values in the order of their
-- first row, is string_agg of each value's first row (row_number() = 1) ordered by that row's place in the view
-- (mitrail_membership_branch, then the record), and NULLs sort first as in SQLite.
WITH ranked AS (
    SELECT e.*, mitrail_membership_branch(e.evidence) AS branch,
           row_number() OVER (PARTITION BY e.member_id, e.group_id, e.relation, e.source
                              ORDER BY mitrail_membership_branch(e.evidence), e.record_id) AS source_rank
    FROM group_membership_evidence e
    WHERE e.evidence IN ('listed', 'check', 'added', 'removed') AND e.member_id IS NOT NULL
      AND (:principal IS NULL OR e.member_id = lower(:principal))
)
SELECT e.member_id AS principal_id, max(e.member_type) AS principal_type, max(e.member_name) AS principal_name,
       e.group_id, coalesce(max(e.group_name),
                            (SELECT max(g.group_name) FROM group_membership_evidence g WHERE g.group_id = e.group_id),
                            (SELECT max(h.principal_name) FROM role_assignment_history h WHERE h.principal_id = e.group_id)) AS group_name,
       e.relation,
       min(CASE WHEN e.is_member = 1 THEN e.time END) AS first_seen,
       max(CASE WHEN e.is_member = 1 THEN e.time END) AS last_seen,
       max(CASE WHEN e.evidence = 'removed' THEN e.time END) AS last_removed,
       count(*) AS records,
       string_agg(CASE WHEN e.source_rank = 1 THEN e.source END, ',' ORDER BY e.branch, e.record_id) AS sources
FROM ranked e
GROUP BY e.member_id, e.group_id, e.relation
ORDER BY e.member_id NULLS FIRST, first_seen NULLS FIRST, e.group_id NULLS FIRST;
