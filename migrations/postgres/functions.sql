-- The functions the PostgreSQL twins of the views and named queries call where SQLite has a built-in that
-- PostgreSQL lacks or that behaves otherwise. Created in each incident's schema (the team store's session runs
-- with search_path = the incident), so that an incident is self-contained.
-- Times are integer milliseconds since 1970 UTC, as in the SQLite store; every conversion is exact integer
-- arithmetic (no float rounding), so that PostgreSQL shows the very text SQLite shows.

-- The ISO 8601 text of a time in milliseconds (2026-03-04T10:15:32.120Z), as records.time in SQLite:
-- days from the civil calendar by integer arithmetic (H. Hinnant's days_from_civil, inverted).
CREATE FUNCTION mitrail_time_text(ms bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lpad(year::text, 4, '0') || '-' || lpad(month::text, 2, '0') || '-' || lpad(day::text, 2, '0')
           || 'T' || lpad((of_day / 3600000)::text, 2, '0') || ':' || lpad((of_day / 60000 % 60)::text, 2, '0')
           || ':' || lpad((of_day / 1000 % 60)::text, 2, '0') || '.' || lpad((of_day % 1000)::text, 3, '0') || 'Z'
    FROM (
        SELECT of_day, day_of_era,
               year_of_era + era * 400 + CASE WHEN month_index >= 10 THEN 1 ELSE 0 END AS year,
               CASE WHEN month_index < 10 THEN month_index + 3 ELSE month_index - 9 END AS month,
               day_of_year - (153 * month_index + 2) / 5 + 1 AS day
        FROM (
            SELECT of_day, era, day_of_era, year_of_era, day_of_year, (5 * day_of_year + 2) / 153 AS month_index
            FROM (
                SELECT of_day, era, day_of_era, year_of_era,
                       day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100) AS day_of_year
                FROM (
                    SELECT of_day, era, day_of_era,
                           (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365 AS year_of_era
                    FROM (
                        SELECT of_day, era, shifted - era * 146097 AS day_of_era
                        FROM (
                            SELECT of_day, shifted,
                                   (shifted - ((shifted % 146097) + 146097) % 146097) / 146097 AS era
                            FROM (
                                SELECT ((ms % 86400000) + 86400000) % 86400000 AS of_day,
                                       (ms - ((ms % 86400000) + 86400000) % 86400000) / 86400000 + 719468 AS shifted
                            ) days
                        ) eras
                    ) in_era
                ) years
            ) months
        ) calendar
    ) civil
$$;

-- Milliseconds since 1970 of an ISO 8601 time (the named queries' time parameters, already normalised to
-- 2026-03-04T10:00:00.000Z), as SQLite's CAST(round((julianday(t) - 2440587.5) * 86400000.0) AS INTEGER).
-- NULL when the text is not a time. PARALLEL UNSAFE, as are the functions that call it: its exception block is a
-- subtransaction, which no parallel plan may start.
CREATE FUNCTION mitrail_ms(time_text text) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
BEGIN
    RETURN round(extract(epoch FROM time_text::timestamptz) * 1000)::bigint;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- SQLite's julianday(t) as a double: (milliseconds since the Julian epoch) / 86400000.
CREATE FUNCTION mitrail_julianday(time_text text) RETURNS double precision
LANGUAGE sql STABLE PARALLEL UNSAFE AS $$
    SELECT (mitrail_ms(time_text) + 210866760000000)::double precision / 86400000.0
$$;

-- SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', t): the time to the millisecond (rounded as SQLite rounds), NULL when
-- the text is not a time.
CREATE FUNCTION mitrail_iso_time(time_text text) RETURNS text
LANGUAGE sql STABLE PARALLEL UNSAFE AS $$
    SELECT mitrail_time_text(mitrail_ms(time_text))
$$;

-- SQLite's CAST(t AS INTEGER) of a text: the longest integer prefix after leading spaces, 0 when there is none.
CREATE FUNCTION mitrail_integer(value text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL THEN NULL
                ELSE coalesce(substring(value FROM '^[ \t\n\r]*([+-]?[0-9]{1,18})')::bigint, 0) END
$$;

-- SQLite's CAST(n AS INTEGER) of a number: towards zero.
CREATE FUNCTION mitrail_integer(value numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT trunc(value)::bigint
$$;

-- SQLite's json_extract(document, '$.key') of a text value: NULL when the document or the key is missing.
CREATE FUNCTION mitrail_json_text(document text, key text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT document::json ->> key
$$;

-- SQLite's json_extract(document, '$.key') of a boolean or a whole number, which SQLite gives as an integer:
-- true 1, false 0, the number itself; NULL for anything else (the views read only JSON booleans this way).
CREATE FUNCTION mitrail_json_integer(document text, key text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE json_typeof(document::json -> key)
                WHEN 'boolean' THEN CASE document::json ->> key WHEN 'true' THEN 1 ELSE 0 END
                WHEN 'number' THEN CASE WHEN (document::json ->> key)::numeric = trunc((document::json ->> key)::numeric)
                                        THEN (document::json ->> key)::numeric::bigint END END
$$;

-- SQLite's json_each(document): the elements of an array, the member values of an object, or the document
-- itself when it is a scalar; `value` as SQLite gives it (a string unquoted, anything else as its JSON text),
-- `element` as json (for ->> on it), and `ordinal` its place (1, 2...), the order SQLite gives them in.
CREATE FUNCTION mitrail_json_each(document text) RETURNS TABLE (value text, element json, ordinal bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN json_typeof(a.e) = 'string' THEN a.e #>> '{}' ELSE a.e::text END, a.e, a.ordinal
    FROM json_array_elements(CASE WHEN json_typeof(document::json) = 'array' THEN document::json ELSE '[]'::json END)
         WITH ORDINALITY AS a(e, ordinal)
    UNION ALL
    SELECT CASE WHEN json_typeof(m.value) = 'string' THEN m.value #>> '{}' ELSE m.value::text END, m.value, m.ordinal
    FROM json_each(CASE WHEN json_typeof(document::json) = 'object' THEN document::json ELSE '{}'::json END)
         WITH ORDINALITY AS m(key, value, ordinal)
    UNION ALL
    SELECT CASE WHEN json_typeof(document::json) = 'string' THEN document::json #>> '{}' ELSE document END, document::json, 1
    WHERE json_typeof(document::json) NOT IN ('array', 'object')
$$;

-- The branch of the identity_sightings view a sighting comes from (1 az identity output, 2 a pool's or account's
-- identities, 3 an account's system identity, 4 a node identity reference, 5 token claims, 6 a request), by
-- its attached_kind: the order the view makes them in, which SQLite's group_concat lists values in.
CREATE FUNCTION mitrail_sighting_branch(attached_kind text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN attached_kind IS NULL THEN 1
                WHEN attached_kind IN ('pool', 'account') THEN 2
                WHEN attached_kind = 'account-system-identity' THEN 3
                WHEN attached_kind = 'node-identity-reference' THEN 4
                WHEN attached_kind = 'token' THEN 5
                ELSE 6 END
$$;

-- SQLite's json_object(key, value, ...) of text values, as the same compact text SQLite writes ({"k":"v","n":null}):
-- each value as a JSON string (to_json escapes as SQLite does: \" \\ \b \f \n \r \t, other control characters as
-- \u00XX), NULL as null.
CREATE FUNCTION mitrail_json_object(VARIADIC pairs text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '{' || coalesce(string_agg(to_json(pairs[i])::text || ':' || coalesce(to_json(pairs[i + 1])::text, 'null'), ',' ORDER BY i), '')
           || '}'
    FROM generate_subscripts(pairs, 1) AS i
    WHERE i % 2 = 1
$$;

-- The branch of the group_membership_evidence view a row comes from (1 a list, 2 a listed member, 3 a check, 4 an
-- audit log change), by its evidence: the order the view makes them in, which SQLite's group_concat lists values in.
CREATE FUNCTION mitrail_membership_branch(evidence text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE evidence WHEN 'list' THEN 1 WHEN 'listed' THEN 2 WHEN 'check' THEN 3 ELSE 4 END
$$;
