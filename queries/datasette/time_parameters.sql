-- Not a named query: the common table expressions `mitrail browse` puts in front of a named query's SQL
-- for Datasette, which passes '' for a parameter left empty and no time as mitrail query normalises it.
-- The browse command writes `mitrail_times_given(name, given)` before these, one row per time parameter
-- (its name, and nullif(:name, '')), and `mitrail_parameters` after them, one column per time parameter.
-- They read a time as TimestampParser does: YYYY-MM-DD (a real calendar day), then T, t or a space and
-- HH:MM:SS, an optional fraction after . or , (milliseconds kept, the rest cut), then Z, z, +HH:MM,
-- +HHMM, +HH or nothing (UTC); a bare date is its midnight and HH:MM its first second. The result is the
-- store's form, 2026-03-04T10:00:00.000Z; a value that is not such a time is an error that names it.
mitrail_times_read AS (
    SELECT name, given,
           CASE WHEN given GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN given || 'T00:00:00'
                WHEN given GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt ][0-9][0-9]:[0-9][0-9]' THEN given || ':00'
                ELSE given END AS reading
    FROM mitrail_times_given
),
mitrail_times_split AS (
    SELECT name, given, substr(reading, 1, 10) AS day, substr(reading, 11, 1) AS separator,
           substr(reading, 12, 8) AS clock, substr(reading, 20) AS rest
    FROM mitrail_times_read
),
mitrail_times_zoned AS (
    SELECT *,
           CASE WHEN rest GLOB '[.,][0-9]*' THEN substr(rest, 2) ELSE '' END AS fraction_and_zone,
           CASE WHEN rest GLOB '[.,][0-9]*' THEN ltrim(substr(rest, 2), '0123456789') ELSE rest END AS zone
    FROM mitrail_times_split
),
mitrail_times_counted AS (
    -- date(day, '+0 days') moves a day past the end of its month into the next: then it is no calendar day.
    SELECT name, given,
           day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(day, '+0 days') = day
             AND separator IN ('T', 't', ' ') AND clock GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
             AND CAST(substr(clock, 1, 2) AS INTEGER) < 24 AND CAST(substr(clock, 4, 2) AS INTEGER) < 60
             AND CAST(substr(clock, 7, 2) AS INTEGER) < 61
             AND (zone IN ('', 'Z', 'z')
                  OR ((zone GLOB '[+-][0-9][0-9]' OR zone GLOB '[+-][0-9][0-9]:[0-9][0-9]' OR zone GLOB '[+-][0-9][0-9][0-9][0-9]')
                      AND CAST(substr(zone, 2, 2) AS INTEGER) <= 14
                      AND CAST(substr(replace(zone, ':', '') || '00', 4, 2) AS INTEGER) < 60)) AS valid,
           (CAST(strftime('%s', day) AS INTEGER) + CAST(substr(clock, 1, 2) AS INTEGER) * 3600
              + CAST(substr(clock, 4, 2) AS INTEGER) * 60 + CAST(substr(clock, 7, 2) AS INTEGER)) * 1000
           + CAST(substr(substr(fraction_and_zone, 1, length(fraction_and_zone) - length(zone)) || '000', 1, 3) AS INTEGER)
           - (CASE substr(zone, 1, 1) WHEN '+' THEN 1 WHEN '-' THEN -1 ELSE 0 END)
             * (CAST(substr(zone, 2, 2) AS INTEGER) * 60 + CAST(substr(replace(zone, ':', '') || '00', 4, 2) AS INTEGER)) * 60000
             AS milliseconds
    FROM mitrail_times_zoned
),
mitrail_times AS (
    SELECT name, given,
           CASE WHEN given IS NULL THEN NULL
                WHEN valid AND milliseconds BETWEEN -62167219200000 AND 253402300799999
                THEN strftime('%Y-%m-%dT%H:%M:%S', (milliseconds - (milliseconds % 1000 + 1000) % 1000) / 1000, 'unixepoch')
                     || printf('.%03dZ', (milliseconds % 1000 + 1000) % 1000)
                -- SQLite has no way to raise an error from a plain query but a bad JSON path, whose text its message shows.
                ELSE json_extract('{}', name || ' is not a time: give one such as 2026-03-04T10:00:00Z or 2026-03-04')
           END AS time
    FROM mitrail_times_counted
)
