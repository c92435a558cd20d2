-- name: source_time_spans
-- description: Each ingested source with its format, observed-at time and where it came from, records stored and rejected, the kinds it holds and the time span its records cover.
-- params: none
-- Each source's records are read through its record id range (sources.first_record_id..last_record_id), kind by
-- kind through the kind index, and their time and line from the narrow typed tables: the groups come in the
-- order of the loops, with no sort over the whole store (`+` keeps SQLite from building a temporary index on
-- source_id instead of reading the id range). Each kind is listed where it first appears.
WITH kinds AS (
    SELECT s.id AS source_id, k.kind, min(f.time_ms) AS first_ms, max(f.time_ms) AS last_ms,
           min(coalesce(f.line, -1)) AS first_line, min(f.record_id) AS first_id
    FROM record_kinds k
    CROSS JOIN sources s
    CROSS JOIN records r ON r.kind_id = k.id AND r.id BETWEEN s.first_record_id AND s.last_record_id
    CROSS JOIN record_fields f ON f.record_id = r.id AND +f.source_id = s.id
    WHERE k.kind <> 'azure:batch:agent-log-line'
    GROUP BY k.id, s.id
    UNION ALL
    SELECT s.id, 'azure:batch:agent-log-line', min(l.time_ms), max(l.time_ms),
           min(coalesce(l.line, -1)), min(l.record_id)
    FROM sources s
    CROSS JOIN log_line_fields l ON l.record_id BETWEEN s.first_record_id AND s.last_record_id AND +l.source_id = s.id
    GROUP BY s.id
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
