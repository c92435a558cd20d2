-- name: agent_log_markers
-- description: Known markers seen in Batch node agent logs (e.g. TvmJoinPoolInProgress): how often, on which nodes, first and last time.
-- params: none
-- PostgreSQL twin of queries/agent_log_markers.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same), but NULL times sort first as in SQLite.
SELECT marker,
       coalesce(node, '') AS node,
       count(*) AS lines,
       min(time) AS first_time,
       max(time) AS last_time
FROM agent_log_lines
WHERE marker IS NOT NULL
GROUP BY marker, node
ORDER BY first_time NULLS FIRST, marker;
