-- PostgreSQL twin of the view source_summary (migrations/0008_add_collector_provenance.sql).
-- The same SQL.
CREATE VIEW source_summary AS
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin,
       s.ingested_at, s.tool_version, s.status, s.records_read, s.records_stored,
       s.records_rejected, s.records_duplicate, s.command
FROM sources s;
