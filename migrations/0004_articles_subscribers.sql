-- 0004_articles_subscribers.sql: blog articles and newsletter subscribers.
--
-- Same conventions as 0001_init.sql (identity ids, created_at/updated_at/version
-- set by the service's statements, named constraints that the service maps to a
-- field in src/repo/constraints.c, CHECKs that repeat the API's validation).

-- ---------------------------------------------------------------------------
-- articles: Markdown blog posts, draft or published
-- ---------------------------------------------------------------------------
-- A draft is visible to editors and admins only (src/repo/articles.c). A
-- published article always has published_at (the service sets it to now() on
-- publishing when the client gave none). cover_image_alt describes the cover
-- for screen readers: it must not be empty while there is a cover image.
CREATE TABLE articles (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    slug            text        NOT NULL,
    title           text        NOT NULL,
    author          text        NOT NULL,
    summary         text        NOT NULL DEFAULT '',
    body            text        NOT NULL DEFAULT '',
    categories      text[]      NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'draft',
    published_at    timestamptz NULL,
    cover_image_url text        NULL,
    cover_image_alt text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1,

    CONSTRAINT articles_pk PRIMARY KEY (id),
    CONSTRAINT articles_slug_uq UNIQUE (slug),
    CONSTRAINT articles_slug_ck
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    CONSTRAINT articles_title_ck
        CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT articles_author_ck
        CHECK (char_length(author) BETWEEN 1 AND 100),
    CONSTRAINT articles_summary_ck
        CHECK (char_length(summary) <= 1000),
    CONSTRAINT articles_body_ck
        CHECK (char_length(body) <= 100000),
    -- at most 20 slugs: joined with spaces, the array must read as slug, space, slug...
    -- (an empty item would leave two spaces in a row; NULL items are refused apart)
    CONSTRAINT articles_categories_ck
        CHECK (cardinality(categories) <= 20
               AND (cardinality(categories) = 0 OR array_ndims(categories) = 1)
               AND array_position(categories, NULL) IS NULL
               AND array_to_string(categories, ' ') ~ '^([a-z0-9]+(-[a-z0-9]+)*( |$))*$'),
    CONSTRAINT articles_status_ck
        CHECK (status IN ('draft', 'published')),
    CONSTRAINT articles_published_at_ck
        CHECK (status <> 'published' OR published_at IS NOT NULL),
    CONSTRAINT articles_cover_image_url_ck
        CHECK (cover_image_url IS NULL
               OR (cover_image_url ~ '^https?://[^[:space:]]+$' AND length(cover_image_url) <= 2048)),
    CONSTRAINT articles_cover_image_alt_ck
        CHECK (char_length(cover_image_alt) <= 300),
    CONSTRAINT articles_cover_image_alt_required_ck
        CHECK (cover_image_url IS NULL OR btrim(cover_image_alt) <> ''),
    CONSTRAINT articles_version_ck CHECK (version >= 1)
);

-- The default list order (newest first): the sort expression of
-- src/repo/articles.c, never NULL, plus id for keyset pagination.
CREATE INDEX articles_published_id_idx
    ON articles ((coalesce(published_at, created_at)), id);
CREATE INDEX articles_title_id_idx      ON articles (title, id);
CREATE INDEX articles_created_at_id_idx ON articles (created_at, id);
-- ?category=: categories @> ARRAY[$1]
CREATE INDEX articles_categories_idx    ON articles USING gin (categories);

-- ---------------------------------------------------------------------------
-- subscribers: newsletter sign-ups
-- ---------------------------------------------------------------------------
-- email is stored as the service normalised it (ASCII letters in lower case),
-- so the unique constraint is the duplicate check. A sign-up of a known address
-- updates the row in place (status back to subscribed); an unsubscribe keeps
-- the row, marked unsubscribed, so that an admin can tell the two apart.
CREATE TABLE subscribers (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    email           text        NOT NULL,
    status          text        NOT NULL DEFAULT 'subscribed',
    source          text        NULL,
    consented_at    timestamptz NOT NULL DEFAULT now(),
    subscribed_at   timestamptz NOT NULL DEFAULT now(),
    unsubscribed_at timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1,

    CONSTRAINT subscribers_pk PRIMARY KEY (id),
    CONSTRAINT subscribers_email_uq UNIQUE (email),
    CONSTRAINT subscribers_email_ck
        CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '_%@_%' AND email !~ '[A-Z[:space:]]'),
    CONSTRAINT subscribers_status_ck
        CHECK (status IN ('subscribed', 'unsubscribed')),
    CONSTRAINT subscribers_unsubscribed_at_ck
        CHECK ((status = 'unsubscribed') = (unsubscribed_at IS NOT NULL)),
    CONSTRAINT subscribers_source_ck
        CHECK (source IS NULL OR char_length(source) <= 100),
    CONSTRAINT subscribers_version_ck CHECK (version >= 1)
);

CREATE INDEX subscribers_created_at_id_idx ON subscribers (created_at, id);
CREATE INDEX subscribers_status_idx        ON subscribers (status);

-- Unsubscribe tokens: only their SHA-256 is kept. Every sign-up issues a new
-- token; the few newest of an address stay valid (a mail sent before a repeated
-- sign-up still unsubscribes), an unsubscribe removes them all.
CREATE TABLE subscriber_tokens (
    token_hash    bytea       NOT NULL,
    subscriber_id bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT subscriber_tokens_pk PRIMARY KEY (token_hash),
    CONSTRAINT subscriber_tokens_subscriber_fk
        FOREIGN KEY (subscriber_id) REFERENCES subscribers (id) ON DELETE CASCADE,
    CONSTRAINT subscriber_tokens_hash_ck CHECK (length(token_hash) = 32)
);
CREATE INDEX subscriber_tokens_subscriber_idx ON subscriber_tokens (subscriber_id, created_at);
