-- name: evidence_by_kind
-- description: How many records of each kind the store holds, from how many sources, over which time span.
-- params: none
-- Counted on the typed tables in kind order (the kind index), times as integers: each time text is computed
-- once per kind, from the record that holds it.
WITH per_kind AS (
    SELECT k.id AS kind_id, count(*) AS records, count(DISTINCT f.source_id) AS sources,
           min(f.time_ms) AS first_ms, max(f.time_ms) AS last_ms
    FROM record_kinds k CROSS JOIN records r ON r.kind_id = k.id CROSS JOIN record_fields f ON f.record_id = r.id
    WHERE k.kind <> 'azure:batch:agent-log-line'
    GROUP BY k.id
    UNION ALL
    SELECT k.id, count(*), count(DISTINCT l.source_id), min(l.time_ms), max(l.time_ms)
    FROM log_line_fields l JOIN record_kinds k ON k.kind = 'azure:batch:agent-log-line'
    GROUP BY k.id
)
SELECT k.kind, p.records, p.sources,
       (SELECT r.time FROM records r WHERE r.time_ms = p.first_ms LIMIT 1) AS first_time,
       (SELECT r.time FROM records r WHERE r.time_ms = p.last_ms LIMIT 1) AS last_time
FROM per_kind p JOIN record_kinds k ON k.id = p.kind_id
ORDER BY k.kind;
