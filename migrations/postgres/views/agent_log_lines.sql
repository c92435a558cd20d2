-- PostgreSQL twin of the view agent_log_lines (migrations/0011_views_on_typed_fields.sql).
-- substr takes an integer position: message_at is numeric here (a typed column a payload fills).
-- One row per Batch node agent log line, with its marker.
CREATE VIEW agent_log_lines AS
SELECT l.record_id, r.time, r.time_origin, l.level, l.marker, n_node.value AS node, n_pool.value AS pool, l.health,
       substr(r.raw, (coalesce(l.message_at, 0) + 1)::integer) AS message,
       s.path AS source, l.line
FROM log_line_fields l
JOIN records r ON r.id = l.record_id
JOIN sources s ON s.id = l.source_id
LEFT JOIN names n_node ON n_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = l.pool_ref;
