-- name: nodes_stuck_starting
-- description: Compute nodes seen starting and for how long: agent log lines with TvmJoinPoolInProgress (pool not fully joined) and node JSON in state starting, per node, with the first and last time it was seen starting and the minutes between.
-- params: none
-- PostgreSQL twin of queries/nodes_stuck_starting.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same): SQLite's two-argument max is greatest, julianday is mitrail_julianday,
-- round(x, 1) rounds a numeric, NULL minutes sort last (DESC) as in SQLite, and group_concat(DISTINCT x), which lists
-- values in the order of their first row, is string_agg of each value's first row (row_number() = 1) ordered by
-- that row's place (agent log lines, then node JSON, each by record).
WITH starting AS (
    SELECT coalesce(node, source) AS node, pool, time AS first_seen, time AS last_seen,
           1 AS agent_log_lines, NULL::text AS node_state, source, 1 AS branch, record_id
    FROM agent_log_lines
    WHERE marker = 'TvmJoinPoolInProgress' AND time IS NOT NULL
    UNION ALL
    SELECT r.node, r.pool,
           r.time, greatest(r.time, coalesce(s.observed_at, r.time)), 0, r.state, s.path, 2, r.record_id
    FROM record_values r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'azure:batch:node' AND lower(r.state) = 'starting' AND r.time IS NOT NULL
),
ranked AS (
    SELECT st.*, row_number() OVER (PARTITION BY st.node, st.source ORDER BY st.branch, st.record_id) AS source_rank
    FROM starting st
)
SELECT node, max(pool) AS pool,
       min(first_seen) AS first_seen_starting, max(last_seen) AS last_seen_starting,
       round(((mitrail_julianday(max(last_seen)) - mitrail_julianday(min(first_seen))) * 1440)::numeric, 1) AS minutes,
       sum(agent_log_lines) AS agent_log_lines,
       max(node_state) AS node_json_state,
       string_agg(CASE WHEN source_rank = 1 THEN source END, ',' ORDER BY branch, record_id) AS sources
FROM ranked
GROUP BY node
ORDER BY minutes DESC NULLS LAST, node NULLS FIRST;
