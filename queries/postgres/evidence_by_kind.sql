-- name: evidence_by_kind
-- description: How many records of each kind the store holds, from how many sources, over which time span.
-- params: none
-- PostgreSQL twin of queries/evidence_by_kind.sql in the views' form (the SQLite query counts on the typed tables and integer
-- times, for SQLite's speed; the rows are the same).
SELECT r.kind,
       count(*) AS records,
       count(DISTINCT r.source_id) AS sources,
       min(r.time) AS first_time,
       max(r.time) AS last_time
FROM record_values r
GROUP BY r.kind
ORDER BY r.kind;
