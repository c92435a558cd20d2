-- name: source_list
-- description: Every ingested source as `mitrail sources` lists it, in ingest order: path, format, SHA-256, size, observed-at time and where it came from, ingest time and mitrail version, status, counts, the archive it came out of (parent_id), and the command that produced it (a JSON array of its arguments, from a collector manifest; NULL otherwise).
-- params: none
SELECT s.id, s.path, s.format, s.sha256, s.size, s.observed_at, s.observed_at_origin, s.ingested_at, s.tool_version,
       s.status, s.records_read, s.records_stored, s.records_rejected, s.records_duplicate, s.parent_id,
       s.command
FROM sources s
ORDER BY s.id;
