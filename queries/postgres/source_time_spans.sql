-- name: source_time_spans
-- description: Each ingested source with its format, observed-at time and where it came from, records stored and rejected, the kinds it holds and the time span its records cover.
-- params: none
-- PostgreSQL twin of queries/source_time_spans.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same): the kinds group also groups by the kind it selects (the same groups), the
-- kinds are listed in first-appearance order with string_agg ... ORDER BY, the times are mitrail_time_text, and
-- NULL times sort first.
-- One pass over the records: their time span and kinds per source, each kind listed where it first appears.
WITH kinds AS (
    SELECT r.source_id, k.kind, min(r.time_ms) AS first_ms, max(r.time_ms) AS last_ms,
           min(coalesce(r.line, -1)) AS first_line, min(r.id) AS first_id
    FROM records r JOIN record_kinds k ON k.id = r.kind_id
    GROUP BY r.source_id, r.kind_id, k.kind
),
spans AS (
    SELECT source_id, min(first_ms) AS first_ms, max(last_ms) AS last_ms,
           string_agg(kind, ',' ORDER BY first_line, first_id) AS kinds
    FROM kinds
    GROUP BY source_id
)
SELECT s.id AS source_id, s.path, s.format, s.observed_at, s.observed_at_origin,
       s.records_stored AS records, s.records_rejected AS rejected,
       mitrail_time_text(spans.first_ms) AS first_time,
       mitrail_time_text(spans.last_ms) AS last_time,
       spans.kinds
FROM source_summary s
LEFT JOIN spans ON spans.source_id = s.id
ORDER BY first_time NULLS FIRST, s.path;
