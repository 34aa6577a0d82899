-- 0003_site.sql: what a career-path site shows beside the roadmap: salary
-- bands of a path, related paths, and mentors.
--
-- Same conventions as 0001_init.sql: identity ids, created_at/updated_at/
-- version on entities, constraints named <table>_<what>_{uq,fk,ck} so that
-- src/repo/constraints.c can name the offending field, CHECKs repeating
-- what the API validates.

-- ---------------------------------------------------------------------------
-- salary_bands: yearly pay of a level of a path, in whole currency units
-- ---------------------------------------------------------------------------
-- max_years / max_amount NULL = open-ended ("8+ years", "170,000 and up"):
-- a CHECK on NULL passes, so the ranges and orders below hold only when set.
-- The cross-field rules (salary_bands_years_ck, salary_bands_amounts_ck)
-- are CHECKs rather than API checks so that a PATCH that changes one side
-- is measured against the stored other side.
CREATE TABLE salary_bands (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    path_id     bigint      NOT NULL,
    level       text        NOT NULL,
    min_years   integer     NOT NULL,
    max_years   integer     NULL,
    currency    text        NOT NULL,
    min_amount  integer     NOT NULL,
    max_amount  integer     NULL,
    region      text        NOT NULL,
    source      text        NOT NULL DEFAULT '',
    as_of       date        NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1,

    CONSTRAINT salary_bands_pk PRIMARY KEY (id),
    CONSTRAINT salary_bands_path_fk
        FOREIGN KEY (path_id) REFERENCES paths (id) ON DELETE CASCADE,
    CONSTRAINT salary_bands_level_ck
        CHECK (char_length(level) BETWEEN 1 AND 100),
    CONSTRAINT salary_bands_min_years_ck
        CHECK (min_years BETWEEN 0 AND 60),
    CONSTRAINT salary_bands_max_years_ck
        CHECK (max_years BETWEEN 0 AND 60),
    CONSTRAINT salary_bands_years_ck
        CHECK (max_years >= min_years),
    CONSTRAINT salary_bands_currency_ck
        CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT salary_bands_min_amount_ck
        CHECK (min_amount BETWEEN 0 AND 100000000),
    CONSTRAINT salary_bands_max_amount_ck
        CHECK (max_amount BETWEEN 0 AND 100000000),
    CONSTRAINT salary_bands_amounts_ck
        CHECK (max_amount >= min_amount),
    CONSTRAINT salary_bands_region_ck
        CHECK (char_length(region) BETWEEN 1 AND 100),
    CONSTRAINT salary_bands_source_ck
        CHECK (char_length(source) <= 200),
    CONSTRAINT salary_bands_version_ck CHECK (version >= 1)
);

-- A path's bands are listed by (min_years, min_amount, id), which the list
-- of src/repo/salaries.c keys as one bigint; this index serves that order
-- under one path and the foreign key.
CREATE INDEX salary_bands_path_years_idx
    ON salary_bands (path_id, (min_years::bigint * 1000000000 + min_amount), id);

-- ---------------------------------------------------------------------------
-- path_relations: "these two paths are related", a symmetric relation
-- ---------------------------------------------------------------------------
-- One row per unordered pair, smaller id first (path_relations_order_ck), so
-- that a pair cannot be stored twice in two directions and a path cannot be
-- related to itself. Readers look both ways (the view path_neighbours): the
-- primary key serves "pairs where I am path_a", path_relations_path_b_idx
-- "where I am path_b".
CREATE TABLE path_relations (
    path_a     bigint      NOT NULL,
    path_b     bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT path_relations_pk PRIMARY KEY (path_a, path_b),
    CONSTRAINT path_relations_path_a_fk
        FOREIGN KEY (path_a) REFERENCES paths (id) ON DELETE CASCADE,
    CONSTRAINT path_relations_path_b_fk
        FOREIGN KEY (path_b) REFERENCES paths (id) ON DELETE CASCADE,
    CONSTRAINT path_relations_order_ck CHECK (path_a < path_b)
);
CREATE INDEX path_relations_path_b_idx ON path_relations (path_b, path_a);

-- Each pair in both directions: "other_id is related to path_id". A filter on
-- path_id is pushed into both branches, each served by one of the indexes.
CREATE VIEW path_neighbours (path_id, other_id) AS
    SELECT path_a, path_b FROM path_relations
    UNION ALL
    SELECT path_b, path_a FROM path_relations;

-- ---------------------------------------------------------------------------
-- mentors: people who coach learners on skills and paths
-- ---------------------------------------------------------------------------
CREATE TABLE mentors (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    slug        text        NOT NULL,
    name        text        NOT NULL,
    headline    text        NOT NULL DEFAULT '',
    bio         text        NOT NULL DEFAULT '',
    hourly_rate integer     NULL,                 -- NULL = not published
    currency    text        NOT NULL DEFAULT 'USD',
    url         text        NULL,
    available   boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1,

    CONSTRAINT mentors_pk PRIMARY KEY (id),
    CONSTRAINT mentors_slug_uq UNIQUE (slug),
    CONSTRAINT mentors_slug_ck
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    CONSTRAINT mentors_name_ck
        CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT mentors_headline_ck
        CHECK (char_length(headline) <= 200),
    CONSTRAINT mentors_bio_ck
        CHECK (char_length(bio) <= 5000),
    CONSTRAINT mentors_hourly_rate_ck
        CHECK (hourly_rate IS NULL OR hourly_rate BETWEEN 0 AND 100000),
    CONSTRAINT mentors_currency_ck
        CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT mentors_url_ck
        CHECK (url IS NULL OR (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048)),
    CONSTRAINT mentors_version_ck CHECK (version >= 1)
);

CREATE INDEX mentors_name_id_idx       ON mentors (name, id);
CREATE INDEX mentors_created_at_id_idx ON mentors (created_at, id);
-- The hourly_rate sort key of src/repo/mentors.c (unpublished rates last).
CREATE INDEX mentors_rate_id_idx       ON mentors ((coalesce(hourly_rate, 100001)), id);
CREATE INDEX mentors_available_idx     ON mentors (available);

CREATE TABLE mentor_skills (
    mentor_id bigint NOT NULL,
    skill_id  bigint NOT NULL,

    CONSTRAINT mentor_skills_pk PRIMARY KEY (mentor_id, skill_id),
    CONSTRAINT mentor_skills_mentor_fk
        FOREIGN KEY (mentor_id) REFERENCES mentors (id) ON DELETE CASCADE,
    CONSTRAINT mentor_skills_skill_fk
        FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE CASCADE
);
-- the ?skill= filter: mentors of one skill
CREATE INDEX mentor_skills_skill_id_idx ON mentor_skills (skill_id);

CREATE TABLE mentor_paths (
    mentor_id bigint NOT NULL,
    path_id   bigint NOT NULL,

    CONSTRAINT mentor_paths_pk PRIMARY KEY (mentor_id, path_id),
    CONSTRAINT mentor_paths_mentor_fk
        FOREIGN KEY (mentor_id) REFERENCES mentors (id) ON DELETE CASCADE,
    CONSTRAINT mentor_paths_path_fk
        FOREIGN KEY (path_id) REFERENCES paths (id) ON DELETE CASCADE
);
-- the ?path= filter: mentors of one path
CREATE INDEX mentor_paths_path_id_idx ON mentor_paths (path_id);
