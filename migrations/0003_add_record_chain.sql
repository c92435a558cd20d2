-- Tamper evidence, and who is writing a source.
--
-- Every record stores a link of a hash chain over its source's records in id
-- order: chain = the first 16 bytes of SHA-256(previous link, then kind, line, pointer, time,
-- time_origin, fields, raw and digest, each length-prefixed); the first link follows 16 zero bytes.
-- The source keeps the chain's last link, so `mitrail verify` names any record changed, added or
-- deleted outside mitrail. (Evidence, not a signature: whoever can write the file can recompute it.)
-- Sources ingested before this migration have no chain (record_chain NULL).

ALTER TABLE records ADD COLUMN chain BLOB;

-- The last link (hex) of the source's record chain; 32 zeros for a source without records.
ALTER TABLE sources ADD COLUMN record_chain TEXT;

-- The process writing a source still 'ingesting' (process id and host name). An ingest of the same
-- content removes such a source as abandoned only when that process is gone; while it runs, the
-- content is reported as being ingested.
ALTER TABLE sources ADD COLUMN ingest_pid INTEGER;
ALTER TABLE sources ADD COLUMN ingest_host TEXT;
