-- name: rejects_by_source
-- description: Records that could not be read, counted per source and reason, with the first line and an excerpt of one of them.
-- params: none
-- PostgreSQL twin of queries/rejects_by_source.sql: source and format (one per source) are taken with min(), and ties in the
-- order go by reason.
SELECT min(source) AS source, min(format) AS format, reason, count(*) AS rejects, min(line) AS first_line,
       substr(min(excerpt), 1, 120) AS example
FROM reject_list
GROUP BY source_id, reason
ORDER BY source, first_line NULLS FIRST, reason;
