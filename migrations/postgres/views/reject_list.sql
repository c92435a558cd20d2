-- PostgreSQL twin of the view reject_list (migrations/0005_create_forensic_views.sql).
-- The same SQL.
-- One row per record that could not be read, with its source.
CREATE VIEW reject_list AS
SELECT j.id AS reject_id, j.source_id, s.path AS source, s.format, j.line, j.pointer, j.reason, j.excerpt
FROM rejects j JOIN sources s ON s.id = j.source_id;
