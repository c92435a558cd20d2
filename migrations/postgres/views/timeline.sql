-- PostgreSQL twin of the view timeline (migrations/0011_views_on_typed_fields.sql).
-- The same SQL: nothing in it differs between the dialects.
CREATE VIEW timeline AS
SELECT r.time, r.time_origin, k.kind, s.path AS source, r.line, r.pointer, r.raw,
       r.id AS record_id, r.source_id
FROM records r JOIN record_kinds k ON k.id = r.kind_id JOIN sources s ON s.id = r.source_id;
