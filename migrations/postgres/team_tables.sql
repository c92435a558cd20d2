-- The team store's own tables in each incident's schema, beside the tables copied from the SQLite store.

-- Values PostgreSQL cannot hold as SQLite had them (text with NUL bytes or bytes that are not UTF-8, a value of
-- another type than its column's): the column holds a stand-in (U+2400 for each NUL, U+FFFD for an invalid byte,
-- NULL for a value of another type), and this table the value itself, so that it round-trips and `mitrail verify`
-- recomputes the record chain from what SQLite had. Integers and reals as 8 bytes big-endian, text and blobs as
-- their bytes.
CREATE TABLE exact_values (
    table_name text COLLATE "C" NOT NULL,
    row_id bigint NOT NULL,
    column_name text COLLATE "C" NOT NULL,
    sqlite_type text COLLATE "C" NOT NULL CHECK (sqlite_type IN ('integer', 'real', 'text', 'blob')),
    value bytea NOT NULL,
    PRIMARY KEY (table_name, row_id, column_name)
);

-- One row per push that added something: when, from which store file, by which mitrail, and what it added.
CREATE TABLE team_pushes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pushed_at text COLLATE "C" NOT NULL,
    store_file text COLLATE "C" NOT NULL,
    tool_version text COLLATE "C" NOT NULL,
    sources_added bigint NOT NULL,
    records_added bigint NOT NULL
);

-- What the incident's schema was built from: the SHA-256 of the functions and views (made again when this
-- mitrail's differ), and of each table copied whole (copied again when the store's differs).
CREATE TABLE team_schema (
    key text COLLATE "C" PRIMARY KEY,
    value text COLLATE "C" NOT NULL
);
