-- 0006_idempotency.sql: replies remembered for POST retries with an Idempotency-Key.
--
-- A row is claimed (status NULL) before the request runs and completed with
-- the reply afterwards; a retry with the same key and the same request gets
-- the stored reply, with another request a 422, and while the first is still
-- running a 409. Rows older than 24 hours are dead: a claim replaces them and
-- every claim purges a few of them.
CREATE TABLE idempotency_keys (
    scope        text        NOT NULL, -- whose key: the user id of the token
    key          text        NOT NULL,
    fingerprint  text        NOT NULL, -- SHA-256 of method, path and body
    status       integer     NULL,     -- NULL while the first request runs
    content_type text        NULL,
    body         text        NULL,
    location     text        NULL,
    etag         text        NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (scope, key),
    CONSTRAINT idempotency_keys_key_ck CHECK (length(key) BETWEEN 1 AND 255),
    CONSTRAINT idempotency_keys_status_ck CHECK (status IS NULL OR status BETWEEN 100 AND 599)
);

CREATE INDEX idempotency_keys_created_at_ix ON idempotency_keys (created_at);
