-- name: node_identity_not_in_pool
-- description: Pools that reference an identity they do not carry: the Batch account's autostorage node identity reference, a pool's resource file identity, or a task's resource file identity that is not in the pool's identity list (nodes go unusable with ApplicationPackageError, tasks fail with ResourceContainerListMiscError). One row per pool snapshot and reference.
-- params: none
-- PostgreSQL twin of queries/node_identity_not_in_pool.sql: json_each is mitrail_json_each, instr is strpos (and SQLite's
-- substr(x, 9, -1), for a URL without a dot, is the character before the 9th), ties in the order go by the identity.
WITH pools AS (
    SELECT r.record_id AS record_id, r.time, r.pool AS pool,
           lower(coalesce(r.account,
                          CASE WHEN strpos(substr(r.url, 9), '.') = 0 THEN substr(r.url, 8, 1)
                               ELSE substr(r.url, 9, strpos(substr(r.url, 9), '.') - 1) END)) AS account,
           coalesce(r.user_assigned_identities, '[]') AS identities,
           coalesce(r.resource_file_identities, '[]') AS resource_file_identities,
           s.path AS source, r.line
    FROM record_values r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'azure:batch:pool'
),
refs AS (
    SELECT p.record_id AS pool_record_id, 'autostorage node identity reference' AS reference_kind,
           a.node_identity_reference AS identity_resource_id, s.path AS reference_source, a.line AS reference_line
    FROM pools p
    JOIN record_values a ON a.kind = 'azure:batch:account' AND lower(a.account) = p.account
    JOIN sources s ON s.id = a.source_id
    WHERE a.node_identity_reference IS NOT NULL
    UNION
    SELECT p.record_id, 'pool resource file identity', f.value, p.source, p.line
    FROM pools p, mitrail_json_each(p.resource_file_identities) f
    UNION
    SELECT p.record_id, 'task ' || t.task || ' resource file identity',
           t.identity_resource_id, s.path, t.line
    FROM pools p
    JOIN record_values t ON t.kind = 'azure:batch:task' AND t.pool = p.pool
    JOIN sources s ON s.id = t.source_id
    WHERE t.identity_resource_id IS NOT NULL
)
SELECT p.pool, p.account, r.reference_kind, r.identity_resource_id,
       (SELECT string_agg(i.element ->> 'identityResourceId', ' ') FROM mitrail_json_each(p.identities) i) AS pool_identities,
       p.time AS pool_observed_at, p.source AS pool_source, p.line AS pool_line, r.reference_source, r.reference_line
FROM pools p JOIN refs r ON r.pool_record_id = p.record_id
WHERE NOT EXISTS (SELECT 1 FROM mitrail_json_each(p.identities) i
                  WHERE lower(i.element ->> 'identityResourceId') = lower(r.identity_resource_id))
ORDER BY p.pool NULLS FIRST, p.time NULLS FIRST, r.reference_kind, r.identity_resource_id NULLS FIRST;
