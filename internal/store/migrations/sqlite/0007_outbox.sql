-- The outbox: messages to send, written in the same transaction as the
-- change that causes them, delivered by the jobs worker. One row per
-- idempotence key; the body is erased once the message is sent (it may hold
-- a single-use link).
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    event_key    TEXT NOT NULL UNIQUE,
    channel      TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    attachments  TEXT NOT NULL DEFAULT '',
    person_id    BIGINT REFERENCES persons (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   DATETIME NOT NULL,
    next_at      DATETIME NOT NULL,
    lease_until  DATETIME,
    sent_at      DATETIME,
    last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE INDEX outbox_person ON outbox (person_id, created_at);
