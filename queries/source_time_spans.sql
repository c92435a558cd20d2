-- name: source_time_spans
-- description: Each ingested source with its format, observed-at time and where it came from, records stored and rejected, the kinds it holds and the time span its records cover.
-- params: none
SELECT s.id AS source_id, s.path, s.format, s.observed_at, s.observed_at_origin,
       s.records_stored AS records, s.records_rejected AS rejected,
       min(r.time) AS first_time, max(r.time) AS last_time,
       group_concat(DISTINCT r.kind) AS kinds
FROM source_summary s LEFT JOIN records r ON r.source_id = s.id
GROUP BY s.id
ORDER BY first_time, s.path;
