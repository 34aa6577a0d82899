-- 0002_accounts.sql: learner accounts, refresh tokens, and progress along roadmaps.
--
-- Same conventions as 0001_init.sql (named constraints <table>_<what>_uq/_fk/_ck,
-- no triggers: the service's UPDATEs set version and updated_at themselves).

-- ---------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------
-- Emails are stored lower-cased (the CHECK enforces it; the service lower()s on
-- the way in and on every look-up), so a plain UNIQUE makes them unique
-- case-insensitively without the citext extension. password_hash is a libsodium
-- crypto_pwhash_str() string (Argon2id, parameters inside it).
CREATE TABLE users (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    display_name  text        NOT NULL,
    role          text        NOT NULL DEFAULT 'learner',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL DEFAULT 1,

    CONSTRAINT users_pk PRIMARY KEY (id),
    CONSTRAINT users_email_uq UNIQUE (email),
    CONSTRAINT users_email_ck
        CHECK (email = lower(email) AND char_length(email) BETWEEN 3 AND 254
               AND strpos(email, '@') > 1),
    CONSTRAINT users_password_hash_ck
        CHECK (password_hash LIKE '$argon2id$%' AND length(password_hash) < 256),
    CONSTRAINT users_display_name_ck
        CHECK (char_length(display_name) BETWEEN 1 AND 100),
    CONSTRAINT users_role_ck
        CHECK (role IN ('learner', 'editor', 'admin')),
    CONSTRAINT users_version_ck CHECK (version >= 1)
);

-- ---------------------------------------------------------------------------
-- refresh_tokens: one row per token ever issued (until it expires)
-- ---------------------------------------------------------------------------
-- Only the SHA-256 of the token is stored. A login starts a family; every
-- refresh revokes the presented token (revoked_at, replaced_by) and issues the
-- next one in the same family. Presenting a revoked token again means someone
-- kept a copy: the whole family is revoked.
CREATE TABLE refresh_tokens (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     bigint      NOT NULL,
    family      uuid        NOT NULL,
    token_hash  bytea       NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz NULL,
    replaced_by bigint      NULL,

    CONSTRAINT refresh_tokens_pk PRIMARY KEY (id),
    CONSTRAINT refresh_tokens_user_fk
        FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT refresh_tokens_replaced_by_fk
        FOREIGN KEY (replaced_by) REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    CONSTRAINT refresh_tokens_token_hash_uq UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_token_hash_ck CHECK (octet_length(token_hash) = 32),
    CONSTRAINT refresh_tokens_expiry_ck CHECK (expires_at > issued_at)
);

CREATE INDEX refresh_tokens_family_idx  ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id, expires_at);
CREATE INDEX refresh_tokens_replaced_by_idx ON refresh_tokens (replaced_by);

-- ---------------------------------------------------------------------------
-- progress: where a learner stands on each step (no row = not started)
-- ---------------------------------------------------------------------------
CREATE TABLE progress (
    user_id    bigint      NOT NULL,
    step_id    bigint      NOT NULL,
    status     text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT progress_pk PRIMARY KEY (user_id, step_id),
    CONSTRAINT progress_user_fk
        FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT progress_step_fk
        FOREIGN KEY (step_id) REFERENCES steps (id) ON DELETE CASCADE,
    CONSTRAINT progress_status_ck
        CHECK (status IN ('in_progress', 'done', 'skipped'))
);

CREATE INDEX progress_step_id_idx ON progress (step_id);
