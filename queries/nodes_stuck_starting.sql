-- name: nodes_stuck_starting
-- description: Compute nodes seen starting and for how long: agent log lines with TvmJoinPoolInProgress (pool not fully joined) and node JSON in state starting, per node, with the first and last time it was seen starting and the minutes between.
-- params: none
-- The agent log lines are counted per node, pool and source on their typed table first (times as integers,
-- each time text computed once per group, from a record that has that time).
WITH joining AS (
    SELECT l.node_ref, l.pool_ref, l.source_id, count(*) AS lines, min(l.time_ms) AS first_ms, max(l.time_ms) AS last_ms
    FROM log_line_fields l
    WHERE l.marker = 'TvmJoinPoolInProgress' AND l.time_ms IS NOT NULL
    GROUP BY l.node_ref, l.pool_ref, l.source_id
),
starting AS (
    SELECT coalesce(n_node.value, s.path) AS node, n_pool.value AS pool,
           (SELECT r.time FROM records r WHERE r.time_ms = j.first_ms LIMIT 1) AS first_seen,
           (SELECT r.time FROM records r WHERE r.time_ms = j.last_ms LIMIT 1) AS last_seen,
           j.lines AS agent_log_lines, NULL AS node_state, s.path AS source
    FROM joining j
    JOIN sources s ON s.id = j.source_id
    LEFT JOIN names n_node ON n_node.id = j.node_ref
    LEFT JOIN names n_pool ON n_pool.id = j.pool_ref
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
