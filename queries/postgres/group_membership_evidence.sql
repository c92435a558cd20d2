-- name: group_membership_evidence
-- description: Every piece of Entra group membership evidence, in time order: each membership list as a whole (whose list, direct or transitive, complete or a page), each "member is in group" it shows, each az ad group member check answer, and each audit log "Add member to group" / "Remove member from group": the input of membership over time (what access, changes and explain evaluate).
-- params: none
-- PostgreSQL twin of queries/group_membership_evidence.sql: the same SQL, but NULL times sort first as in SQLite.
SELECT evidence, record_id, source_id, source, line, time, group_id, group_name, member_id, member_type, member_name,
       app_id, identity_resource_id, relation, list_of, complete, incomplete_because, is_member, subject_origin, file_name,
       result, caller
FROM group_membership_evidence
ORDER BY time NULLS FIRST, record_id;
