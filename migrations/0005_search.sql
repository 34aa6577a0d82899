-- 0005_search.sql: full-text search over paths, steps, skills, resources and articles.
--
-- Each searchable table gets a stored, generated tsvector `search` (English
-- stemming) with a GIN index. Weights say where a word was found, and
-- ts_rank() scores A > B > C > D:
--   A  the name: title (paths, steps, resources, articles), name (skills), and
--      the slug, so that a search for a slug finds its row
--   B  the short description: summary, description (skills), topics (steps),
--      authors (resources), author and categories (articles)
--   C  the long text: overview and lists (paths), description (steps), body
--      (articles), category (skills)
-- GET /v1/search ranks across tables with these vectors; the catalogue's `q`
-- list filters match against them too (src/repo/*.c).

-- array_to_string() is only STABLE (it could call any element type's output
-- function); for text[] it is immutable, which a generated column needs.
CREATE FUNCTION pw_words(a text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_to_string(a, ' ');

-- One weighted part of a search vector. to_tsvector() reports a word longer
-- than 2047 bytes (which it skips) with a NOTICE; the service does not want
-- those on its log stream (libpq prints them to stderr), hence the
-- function-level client_min_messages, here and in the functions below.
CREATE FUNCTION pw_search_part(doc text, weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET client_min_messages = warning
    RETURN setweight(to_tsvector('english', doc), weight);

ALTER TABLE paths ADD COLUMN search tsvector GENERATED ALWAYS AS (
    pw_search_part(title || ' ' || slug, 'A') ||
    pw_search_part(summary, 'B') ||
    pw_search_part(overview || ' ' || pw_words(responsibilities) || ' '
                   || pw_words(work_environment), 'C')) STORED;

ALTER TABLE steps ADD COLUMN search tsvector GENERATED ALWAYS AS (
    pw_search_part(title, 'A') ||
    pw_search_part(pw_words(topics), 'B') ||
    pw_search_part(description, 'C')) STORED;

ALTER TABLE skills ADD COLUMN search tsvector GENERATED ALWAYS AS (
    pw_search_part(name || ' ' || slug, 'A') ||
    pw_search_part(description, 'B') ||
    pw_search_part(category, 'C')) STORED;

ALTER TABLE resources ADD COLUMN search tsvector GENERATED ALWAYS AS (
    pw_search_part(title, 'A') ||
    pw_search_part(summary || ' ' || pw_words(authors), 'B')) STORED;

ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    pw_search_part(title || ' ' || slug, 'A') ||
    pw_search_part(summary || ' ' || author || ' ' || pw_words(categories), 'B') ||
    pw_search_part(body, 'C')) STORED;

CREATE INDEX paths_search_idx     ON paths     USING gin (search);
CREATE INDEX steps_search_idx     ON steps     USING gin (search);
CREATE INDEX skills_search_idx    ON skills    USING gin (search);
CREATE INDEX resources_search_idx ON resources USING gin (search);
CREATE INDEX articles_search_idx  ON articles  USING gin (search);

-- What a user's search text means: websearch_to_tsquery() syntax ("quoted
-- phrases", `or`, `-excluded`; it never fails on odd input, so any text is
-- data), English stemming, and the last word taken as a prefix so that results
-- come while typing: `postgre` finds PostgreSQL. The prefix is the last word's
-- stem ('postgres' -> 'postgr':*, which also matches 'postgresql'). websearch
-- never emits prefixes or weights itself, so its text form ends in the last
-- lexeme's closing quote exactly when there is one to extend.
--
-- Text with no searchable word (empty, only stop words such as "the", only
-- punctuation) gives an empty query that matches nothing (PostgreSQL's NOTICE
-- saying so is silenced, see pw_search_part).
CREATE FUNCTION pw_search_query(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET client_min_messages = warning
    RETURN regexp_replace(websearch_to_tsquery('english', q)::text, '''$', ''':*')::tsquery;

-- A short snippet of @doc around the words @q found, for HTML: the text is
-- escaped and only the matches are wrapped in <mark>...</mark>. ts_headline
-- marks them with \x01/\x02 (control characters the API never stores: its
-- validator refuses them), then the escaping runs, then the markers become
-- tags. Whitespace runs (Markdown line breaks) become one space.
CREATE FUNCTION pw_search_snippet(doc text, q tsquery) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET client_min_messages = warning
    RETURN replace(replace(
        replace(replace(replace(replace(replace(
            regexp_replace(
                ts_headline('english', doc, q,
                            E'StartSel=\x01, StopSel=\x02, MaxWords=20, MinWords=8, MaxFragments=0'),
                '\s+', ' ', 'g'),
            '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'),
        E'\x01', '<mark>'), E'\x02', '</mark>');
