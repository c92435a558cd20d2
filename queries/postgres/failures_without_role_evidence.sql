-- name: failures_without_role_evidence
-- description: Failures that no role assignment snapshot covers: no role assignment list observed at or after the failure from the same subscription (the subscription of the failure's target, else of its identity; any subscription when neither says). What they needed cannot be judged until such a list is ingested.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- PostgreSQL twin of queries/failures_without_role_evidence.sql: NULL times sort first, as in SQLite.
WITH snapshots AS MATERIALIZED (
    -- The last role assignment list seen per subscription (NULL: a management group or root scope, which covers all).
    SELECT CASE WHEN lower(scope) LIKE '/subscriptions/%' THEN lower(substr(scope, 16, 36)) END AS subscription_id,
           max(time) AS last_observed
    FROM role_assignment_history
    WHERE evidence = 'snapshot'
    GROUP BY 1
),
failure AS (
    SELECT f.*,
           lower(CASE WHEN lower(f.target) LIKE '/subscriptions/%' THEN substr(f.target, 16, 36)
                      WHEN lower(f.identity_resource_id) LIKE '/subscriptions/%' THEN substr(f.identity_resource_id, 16, 36) END) AS subscription_id
    FROM failures f
    WHERE (:since IS NULL OR f.time >= :since) AND (:until IS NULL OR f.time < :until)
)
SELECT f.time, f.kind, f.code, f.status, f.subscription_id, f.principal_id, f.client_id, f.identity_resource_id,
       f.target, f.source, f.line, f.record_id
FROM failure f
WHERE NOT EXISTS (
    SELECT 1 FROM snapshots n
    WHERE n.last_observed >= f.time
      AND (f.subscription_id IS NULL OR n.subscription_id IS NULL OR n.subscription_id = f.subscription_id)
)
ORDER BY f.time NULLS FIRST, f.record_id;
