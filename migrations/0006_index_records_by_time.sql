-- Faster ingest and time windows.
--
-- Records by time, whatever their kind: the timeline, `timeline_window` and every "what happened
-- between T1 and T2" question read a window of a store of millions of rows through it instead of
-- scanning them all. Records arrive mostly in time order, so it grows at its end.
CREATE INDEX records_by_time ON records(time);

-- The record chain's formula, per source. 1 (NULL, sources written before this migration): each link
-- is the first 16 bytes of SHA-256(previous link, then the record's length-prefixed columns). 2: the
-- first 16 bytes of SHA-256(previous link, SHA-256 of the record's length-prefixed columns), so that
-- the long hash is computed while parsing and only a short one waits for the write. `verify` checks
-- each source with its own formula.
ALTER TABLE sources ADD COLUMN chain_version INTEGER;
