-- 0001_init.sql: the career-path catalogue.
--
-- Run by the service's migration runner inside one transaction (no BEGIN/COMMIT
-- here). The runner creates and fills schema_migrations itself.
--
-- Conventions
--   * Every entity table has `id bigint GENERATED ALWAYS AS IDENTITY`.
--   * Catalogue entities carry created_at, updated_at and version. No trigger:
--     the service's UPDATE statements set `version = version + 1, updated_at = now()`.
--   * Constraint names: <table>_pk, <table>_<what>_uq, <table>_<what>_fk,
--     <table>_<what>_ck, so that an SQLSTATE (23505 unique, 23503 foreign key,
--     23514 check) plus the constraint name identifies the offending field.
--   * The CHECKs repeat what the API validates (defence in depth). Free-text
--     limits are generous upper bounds: the API may be stricter, never looser.
--   * Text arrays: one-dimensional, no NULL and no empty-string items, bounded
--     number of items.

-- ---------------------------------------------------------------------------
-- paths
-- ---------------------------------------------------------------------------
CREATE TABLE paths (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    slug             text        NOT NULL,
    title            text        NOT NULL,
    summary          text        NOT NULL DEFAULT '',
    overview         text        NOT NULL DEFAULT '',
    responsibilities text[]      NOT NULL DEFAULT '{}',
    work_environment text[]      NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer     NOT NULL DEFAULT 1,

    CONSTRAINT paths_pk PRIMARY KEY (id),
    CONSTRAINT paths_slug_uq UNIQUE (slug),
    CONSTRAINT paths_slug_ck
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    CONSTRAINT paths_title_ck
        CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT paths_summary_ck
        CHECK (char_length(summary) <= 1000),
    CONSTRAINT paths_overview_ck
        CHECK (char_length(overview) <= 20000),
    CONSTRAINT paths_responsibilities_ck
        CHECK (cardinality(responsibilities) <= 50
               AND (cardinality(responsibilities) = 0 OR array_ndims(responsibilities) = 1)
               AND array_position(responsibilities, NULL) IS NULL
               AND '' <> ALL (responsibilities)),
    CONSTRAINT paths_work_environment_ck
        CHECK (cardinality(work_environment) <= 50
               AND (cardinality(work_environment) = 0 OR array_ndims(work_environment) = 1)
               AND array_position(work_environment, NULL) IS NULL
               AND '' <> ALL (work_environment)),
    CONSTRAINT paths_version_ck CHECK (version >= 1)
);

CREATE INDEX paths_title_id_idx      ON paths (title, id);
CREATE INDEX paths_created_at_id_idx ON paths (created_at, id);

-- ---------------------------------------------------------------------------
-- stages: ordered phases of a path's roadmap
-- ---------------------------------------------------------------------------
CREATE TABLE stages (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    path_id     bigint      NOT NULL,
    position    integer     NOT NULL,
    title       text        NOT NULL,
    goal        text        NOT NULL DEFAULT '',
    start_month integer     NOT NULL DEFAULT 0,
    end_month   integer     NULL,          -- NULL = open-ended
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1,

    CONSTRAINT stages_pk PRIMARY KEY (id),
    CONSTRAINT stages_path_fk
        FOREIGN KEY (path_id) REFERENCES paths (id) ON DELETE CASCADE,
    -- also serves as the (path_id, position) index for listing a path's stages
    CONSTRAINT stages_path_position_uq UNIQUE (path_id, position),
    CONSTRAINT stages_position_ck
        CHECK (position BETWEEN 1 AND 1000),
    CONSTRAINT stages_title_ck
        CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT stages_goal_ck
        CHECK (char_length(goal) <= 2000),
    CONSTRAINT stages_start_month_ck
        CHECK (start_month BETWEEN 0 AND 600),
    CONSTRAINT stages_months_ck
        CHECK (end_month IS NULL OR (end_month >= start_month AND end_month <= 600)),
    CONSTRAINT stages_version_ck CHECK (version >= 1)
);

-- ---------------------------------------------------------------------------
-- steps: ordered items of a stage
-- ---------------------------------------------------------------------------
CREATE TABLE steps (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    stage_id        bigint      NOT NULL,
    position        integer     NOT NULL,
    title           text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    topics          text[]      NOT NULL DEFAULT '{}',
    estimated_hours integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1,

    CONSTRAINT steps_pk PRIMARY KEY (id),
    CONSTRAINT steps_stage_fk
        FOREIGN KEY (stage_id) REFERENCES stages (id) ON DELETE CASCADE,
    -- also serves as the (stage_id, position) index for listing a stage's steps
    CONSTRAINT steps_stage_position_uq UNIQUE (stage_id, position),
    CONSTRAINT steps_position_ck
        CHECK (position BETWEEN 1 AND 1000),
    CONSTRAINT steps_title_ck
        CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT steps_description_ck
        CHECK (char_length(description) <= 20000),
    CONSTRAINT steps_topics_ck
        CHECK (cardinality(topics) <= 50
               AND (cardinality(topics) = 0 OR array_ndims(topics) = 1)
               AND array_position(topics, NULL) IS NULL
               AND '' <> ALL (topics)),
    CONSTRAINT steps_estimated_hours_ck
        CHECK (estimated_hours BETWEEN 0 AND 10000),
    CONSTRAINT steps_version_ck CHECK (version >= 1)
);

-- ---------------------------------------------------------------------------
-- skills: languages, frameworks, databases, tools, concepts...
-- ---------------------------------------------------------------------------
CREATE TABLE skills (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    slug        text        NOT NULL,
    name        text        NOT NULL,
    category    text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    url         text        NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1,

    CONSTRAINT skills_pk PRIMARY KEY (id),
    CONSTRAINT skills_slug_uq UNIQUE (slug),
    CONSTRAINT skills_slug_ck
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    CONSTRAINT skills_name_ck
        CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT skills_category_ck
        CHECK (category IN ('language', 'framework', 'database', 'api', 'security',
                            'tool', 'testing', 'devops', 'concept')),
    CONSTRAINT skills_description_ck
        CHECK (char_length(description) <= 2000),
    CONSTRAINT skills_url_ck
        CHECK (url IS NULL OR (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048)),
    CONSTRAINT skills_version_ck CHECK (version >= 1)
);

CREATE INDEX skills_name_id_idx          ON skills (name, id);
CREATE INDEX skills_category_name_id_idx ON skills (category, name, id);
CREATE INDEX skills_created_at_id_idx    ON skills (created_at, id);

-- ---------------------------------------------------------------------------
-- resources: books, courses, articles... (no natural key)
-- ---------------------------------------------------------------------------
CREATE TABLE resources (
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    kind       text        NOT NULL,
    title      text        NOT NULL,
    authors    text[]      NOT NULL DEFAULT '{}',
    url        text        NULL,
    summary    text        NOT NULL DEFAULT '',
    cost       text        NOT NULL,
    level      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer     NOT NULL DEFAULT 1,

    CONSTRAINT resources_pk PRIMARY KEY (id),
    CONSTRAINT resources_kind_ck
        CHECK (kind IN ('book', 'course', 'article', 'video', 'documentation',
                        'tutorial', 'project')),
    CONSTRAINT resources_title_ck
        CHECK (char_length(title) BETWEEN 1 AND 300),
    CONSTRAINT resources_authors_ck
        CHECK (cardinality(authors) <= 20
               AND (cardinality(authors) = 0 OR array_ndims(authors) = 1)
               AND array_position(authors, NULL) IS NULL
               AND '' <> ALL (authors)),
    CONSTRAINT resources_url_ck
        CHECK (url IS NULL OR (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048)),
    CONSTRAINT resources_summary_ck
        CHECK (char_length(summary) <= 2000),
    CONSTRAINT resources_cost_ck
        CHECK (cost IN ('free', 'paid')),
    CONSTRAINT resources_level_ck
        CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT resources_version_ck CHECK (version >= 1)
);

CREATE INDEX resources_title_id_idx      ON resources (title, id);
CREATE INDEX resources_created_at_id_idx ON resources (created_at, id);
CREATE INDEX resources_kind_idx          ON resources (kind);
CREATE INDEX resources_level_idx         ON resources (level);

-- ---------------------------------------------------------------------------
-- link tables (no id, no version)
-- ---------------------------------------------------------------------------
CREATE TABLE step_skills (
    step_id  bigint NOT NULL,
    skill_id bigint NOT NULL,

    CONSTRAINT step_skills_pk PRIMARY KEY (step_id, skill_id),
    CONSTRAINT step_skills_step_fk
        FOREIGN KEY (step_id) REFERENCES steps (id) ON DELETE CASCADE,
    CONSTRAINT step_skills_skill_fk
        FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE CASCADE
);
CREATE INDEX step_skills_skill_id_idx ON step_skills (skill_id);

-- "step_id requires prerequisite_id". Cycles (beyond the self-loop) and
-- cross-path links are rejected by the service before it writes.
CREATE TABLE step_prerequisites (
    step_id         bigint NOT NULL,
    prerequisite_id bigint NOT NULL,

    CONSTRAINT step_prerequisites_pk PRIMARY KEY (step_id, prerequisite_id),
    CONSTRAINT step_prerequisites_step_fk
        FOREIGN KEY (step_id) REFERENCES steps (id) ON DELETE CASCADE,
    CONSTRAINT step_prerequisites_prerequisite_fk
        FOREIGN KEY (prerequisite_id) REFERENCES steps (id) ON DELETE CASCADE,
    CONSTRAINT step_prerequisites_not_self_ck
        CHECK (step_id <> prerequisite_id)
);
CREATE INDEX step_prerequisites_prerequisite_id_idx ON step_prerequisites (prerequisite_id);

CREATE TABLE resource_skills (
    resource_id bigint NOT NULL,
    skill_id    bigint NOT NULL,

    CONSTRAINT resource_skills_pk PRIMARY KEY (resource_id, skill_id),
    CONSTRAINT resource_skills_resource_fk
        FOREIGN KEY (resource_id) REFERENCES resources (id) ON DELETE CASCADE,
    CONSTRAINT resource_skills_skill_fk
        FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE CASCADE
);
CREATE INDEX resource_skills_skill_id_idx ON resource_skills (skill_id);

CREATE TABLE step_resources (
    step_id     bigint      NOT NULL,
    resource_id bigint      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT step_resources_pk PRIMARY KEY (step_id, resource_id),
    CONSTRAINT step_resources_step_fk
        FOREIGN KEY (step_id) REFERENCES steps (id) ON DELETE CASCADE,
    CONSTRAINT step_resources_resource_fk
        FOREIGN KEY (resource_id) REFERENCES resources (id) ON DELETE CASCADE
);
CREATE INDEX step_resources_resource_id_idx ON step_resources (resource_id);

-- ---------------------------------------------------------------------------
-- helpers for the JSON PostgreSQL builds
-- ---------------------------------------------------------------------------
-- RFC 3339 in UTC with milliseconds ("2026-01-05T09:30:00.000Z", the shape of
-- JavaScript's toISOString), whatever the session's TimeZone.
CREATE FUNCTION pw_time(ts timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
