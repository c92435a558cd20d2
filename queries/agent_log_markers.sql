-- name: agent_log_markers
-- description: Known markers seen in Batch node agent logs (e.g. TvmJoinPoolInProgress): how often, on which nodes, first and last time.
-- params: none
-- Counted on the agent log lines' typed table, times as integers: each time text is computed once per row out,
-- from a record that has that time.
WITH markers AS (
    SELECT l.marker, l.node_ref, count(*) AS lines, min(l.time_ms) AS first_ms, max(l.time_ms) AS last_ms
    FROM log_line_fields l
    WHERE l.marker IS NOT NULL
    GROUP BY l.marker, l.node_ref
)
SELECT m.marker,
       coalesce(n.value, '') AS node,
       m.lines,
       (SELECT r.time FROM records r WHERE r.time_ms = m.first_ms LIMIT 1) AS first_time,
       (SELECT r.time FROM records r WHERE r.time_ms = m.last_ms LIMIT 1) AS last_time
FROM markers m LEFT JOIN names n ON n.id = m.node_ref
ORDER BY first_time, m.marker;
