-- name: nodes_stuck_starting
-- description: Compute nodes seen starting and for how long: agent log lines with TvmJoinPoolInProgress (pool not fully joined) and node JSON in state starting, per node, with the first and last time it was seen starting and the minutes between.
-- params: none
WITH starting AS (
    SELECT coalesce(node, source) AS node, pool, time AS first_seen, time AS last_seen,
           1 AS agent_log_lines, NULL AS node_state, source
    FROM agent_log_lines
    WHERE marker = 'TvmJoinPoolInProgress' AND time IS NOT NULL
    UNION ALL
    SELECT r.node, r.pool,
           r.time, max(r.time, coalesce(s.observed_at, r.time)), 0, r.state, s.path
    FROM record_values r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'azure:batch:node' AND lower(r.state) = 'starting' AND r.time IS NOT NULL
)
SELECT node, max(pool) AS pool,
       min(first_seen) AS first_seen_starting, max(last_seen) AS last_seen_starting,
       round((julianday(max(last_seen)) - julianday(min(first_seen))) * 1440, 1) AS minutes,
       sum(agent_log_lines) AS agent_log_lines,
       max(node_state) AS node_json_state,
       group_concat(DISTINCT source) AS sources
FROM starting
GROUP BY node
ORDER BY minutes DESC, node;
