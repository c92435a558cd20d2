-- name: failures_without_role_evidence
-- description: Failures that no role assignment snapshot covers: no role assignment list observed at or after the failure from the same subscription (the subscription of the failure's target, else of its identity; any subscription when neither says). What they needed cannot be judged until such a list is ingested.
-- params:
--   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
--   until: end of the window, exclusive (time, optional, example: 2026-03-04T12:00:00Z)
-- The failures are read from failure_facts (the failures view's own table) on their integer time, the failures
-- view only for those kept (`kept` is materialised so that the filter comes before the join); a snapshot's time (a record's time text) is compared in milliseconds.
WITH snapshots AS MATERIALIZED (
    -- The last role assignment list seen per subscription (NULL: a management group or root scope, which covers all):
    -- role_assignments holds role_assignment_history's snapshot rows, without the role names this does not need.
    SELECT CASE WHEN lower(scope) LIKE '/subscriptions/%' THEN lower(substr(scope, 16, 36)) END AS subscription_id,
           CAST(round((julianday(max(observed_at)) - 2440587.5) * 86400000.0) AS INTEGER) AS last_observed_ms
    FROM role_assignments
    GROUP BY 1
),
failure AS (
    SELECT f.record_id, f.time_ms,
           lower(CASE WHEN lower(f.target) LIKE '/subscriptions/%' THEN substr(f.target, 16, 36)
                      WHEN lower(f.identity_resource_id) LIKE '/subscriptions/%' THEN substr(f.identity_resource_id, 16, 36) END) AS subscription_id
    FROM (SELECT f.record_id, f.time_ms, coalesce(n_target.value, f.target) AS target,
                 coalesce(n_identity.value, f.identity_resource_id) AS identity_resource_id
          FROM failure_facts f
          LEFT JOIN names n_target ON n_target.id = f.target_ref
          LEFT JOIN names n_identity ON n_identity.id = f.identity_resource_ref) f
    WHERE (:since IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) >= :since)
      AND (:until IS NULL OR (SELECT r.time FROM records r WHERE r.id = f.record_id) < :until)
),
kept AS MATERIALIZED (
    SELECT f.* FROM failure f
    WHERE NOT EXISTS (
        SELECT 1 FROM snapshots n
        WHERE n.last_observed_ms >= f.time_ms
          AND (f.subscription_id IS NULL OR n.subscription_id IS NULL OR n.subscription_id = f.subscription_id)
    )
)
SELECT v.time, v.kind, v.code, v.status, f.subscription_id, v.principal_id, v.client_id, v.identity_resource_id,
       v.target, v.source, v.line, v.record_id
FROM kept f JOIN failures v ON v.record_id = f.record_id
ORDER BY f.time_ms, f.record_id;
