-- 0007_inline_pw_time.sql: pw_time() becomes STABLE, so PostgreSQL inlines it.
--
-- Declared IMMUTABLE, its body (to_char, which PostgreSQL marks STABLE) could not
-- be inlined: every statement that called it ran a SQL function per call site,
-- re-reading and planning its body on each execution (a third of the database's
-- time for a single-row GET; bench/RESULTS.md, "pw_time inlined"). STABLE is
-- also what it truly is. Same text, same shape: RFC 3339 in UTC with milliseconds.
CREATE OR REPLACE FUNCTION pw_time(ts timestamptz) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
