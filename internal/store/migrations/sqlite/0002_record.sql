-- The shared record: identity and statuses of the person, diagnostic,
-- professional project, team, join requests, notes, consents, objection,
-- timeline, territory settings for sensitive sections, and the audit trail.
ALTER TABLE persons ADD COLUMN search_first TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN search_last TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN search_birth TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN rsa_right TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN rsa_opened_on DATE;
ALTER TABLE persons ADD COLUMN rqth BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE persons ADD COLUMN long_term_unemployed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE persons ADD COLUMN education_level TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN work_situation TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN objection_at DATETIME;
ALTER TABLE persons ADD COLUMN objection_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN updated_at DATETIME;
ALTER TABLE persons ADD COLUMN created_by BIGINT REFERENCES accounts (id);
ALTER TABLE persons ADD COLUMN created_structure BIGINT REFERENCES structures (id);
CREATE INDEX persons_search_identity ON persons (territory_id, search_last, birth_date);
CREATE INDEX persons_search_birth ON persons (territory_id, search_birth, birth_date);
CREATE INDEX persons_search_first ON persons (territory_id, search_first);

-- Diagnostic entries are never updated: a change closes the entry
-- (ended_at) and writes a new one, so the history stays.
CREATE TABLE diagnostic_entries (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    theme        TEXT NOT NULL,
    situation    TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    section      TEXT NOT NULL DEFAULT '',
    author_id    BIGINT NOT NULL REFERENCES accounts (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    created_at   DATETIME NOT NULL,
    ended_at     DATETIME,
    ended_by     BIGINT REFERENCES accounts (id)
);
CREATE INDEX diagnostic_entries_person ON diagnostic_entries (person_id, ended_at);

CREATE TABLE projects (
    person_id         BIGINT PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    target_jobs       TEXT NOT NULL DEFAULT '',
    experience        TEXT NOT NULL DEFAULT '',
    skills            TEXT NOT NULL DEFAULT '',
    available_from    DATE,
    hours_wanted      INTEGER NOT NULL DEFAULT 0,
    driving_licence   BOOLEAN NOT NULL DEFAULT FALSE,
    vehicle           BOOLEAN NOT NULL DEFAULT FALSE,
    mobility_km       INTEGER NOT NULL DEFAULT 0,
    updated_by        BIGINT REFERENCES accounts (id),
    updated_at        DATETIME NOT NULL
);

CREATE TABLE team_members (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    referent     BOOLEAN NOT NULL DEFAULT FALSE,
    started_at   DATETIME NOT NULL,
    ended_at     DATETIME,
    ended_by     BIGINT REFERENCES accounts (id)
);
CREATE INDEX team_members_person ON team_members (person_id, ended_at);
CREATE INDEX team_members_account ON team_members (account_id, ended_at);
CREATE UNIQUE INDEX team_members_one_active ON team_members (person_id, account_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX team_members_one_referent ON team_members (person_id) WHERE ended_at IS NULL AND referent;

CREATE TABLE join_requests (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    reason       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'pending',
    created_at   DATETIME NOT NULL,
    decided_at   DATETIME,
    decided_by   BIGINT REFERENCES accounts (id)
);
CREATE INDEX join_requests_person ON join_requests (person_id, status);

CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    author_id    BIGINT NOT NULL REFERENCES accounts (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    visibility   TEXT NOT NULL,
    section      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX notes_person ON notes (person_id, created_at);

CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL,
    structures   TEXT NOT NULL DEFAULT '',
    sections     TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    started_at   DATETIME NOT NULL,
    ended_at     DATETIME,
    recorded_by  BIGINT NOT NULL REFERENCES accounts (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    withdrawn_by BIGINT REFERENCES accounts (id)
);
CREATE INDEX consents_person ON consents (person_id);

-- The timeline holds what happened, never a sensitive value: sensitive
-- events carry their section and a neutral summary.
CREATE TABLE timeline_events (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    at           DATETIME NOT NULL,
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    section      TEXT NOT NULL DEFAULT '',
    visibility   TEXT NOT NULL DEFAULT 'team',
    account_id   BIGINT REFERENCES accounts (id),
    structure_id BIGINT REFERENCES structures (id),
    ref_id       BIGINT
);
CREATE INDEX timeline_events_person ON timeline_events (person_id, at);

-- Which structure kinds may read each sensitive section, per territory.
CREATE TABLE sensitive_access (
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    section      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (territory_id, section, kind)
);

-- The audit trail: append-only, each entry chained to the previous one by
-- a SHA-256 hash. Never a sensitive value: only who, when, which person,
-- which section, what, and the outcome.
CREATE TABLE audit_entries (
    id           INTEGER PRIMARY KEY,
    at           DATETIME NOT NULL,
    account_id   BIGINT,
    structure_id BIGINT,
    person_id    BIGINT,
    section      TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_entries_person ON audit_entries (person_id, id);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;
