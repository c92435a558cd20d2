-- name: source_time_spans
-- description: Each ingested source with its format, observed-at time and where it came from, records stored and rejected, the kinds it holds and the time span its records cover.
-- params: none
-- One pass over the records: their time span and kinds per source, each kind listed where it first appears.
WITH kinds AS (
    SELECT r.source_id, k.kind, min(r.time_ms) AS first_ms, max(r.time_ms) AS last_ms,
           min(coalesce(r.line, -1)) AS first_line, min(r.id) AS first_id
    FROM records r JOIN record_kinds k ON k.id = r.kind_id
    GROUP BY r.source_id, r.kind_id
),
spans AS (
    SELECT source_id, min(first_ms) AS first_ms, max(last_ms) AS last_ms,
           group_concat(kind) AS kinds
    FROM (SELECT * FROM kinds ORDER BY source_id, first_line, first_id)
    GROUP BY source_id
)
SELECT s.id AS source_id, s.path, s.format, s.observed_at, s.observed_at_origin,
       s.records_stored AS records, s.records_rejected AS rejected,
       strftime('%Y-%m-%dT%H:%M:%S', (spans.first_ms - ((spans.first_ms % 1000) + 1000) % 1000) / 1000, 'unixepoch')
           || '.' || substr('00' || (((spans.first_ms % 1000) + 1000) % 1000), -3) || 'Z' AS first_time,
       strftime('%Y-%m-%dT%H:%M:%S', (spans.last_ms - ((spans.last_ms % 1000) + 1000) % 1000) / 1000, 'unixepoch')
           || '.' || substr('00' || (((spans.last_ms % 1000) + 1000) % 1000), -3) || 'Z' AS last_time,
       spans.kinds
FROM source_summary s
LEFT JOIN spans ON spans.source_id = s.id
ORDER BY first_time, s.path;
