-- Foundation: territories, structures, accounts, memberships, sessions, API
-- tokens, password resets, sign-in failures, and the persons accompanied.
CREATE TABLE territories (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    operator_state   TEXT NOT NULL DEFAULT '',
    operator_council TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL
);

CREATE TABLE structures (
    id            INTEGER PRIMARY KEY,
    territory_id  INTEGER NOT NULL REFERENCES territories (id),
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    siret         TEXT NOT NULL DEFAULT '',
    commune_insee TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    UNIQUE (territory_id, name)
);

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL DEFAULT '',
    totp_secret    TEXT NOT NULL DEFAULT '',
    totp_enabled   BOOLEAN NOT NULL DEFAULT FALSE,
    last_totp_step BIGINT NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   DATETIME,
    disabled_at    DATETIME,
    created_at     DATETIME NOT NULL
);

CREATE TABLE memberships (
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (account_id, structure_id, role)
);
CREATE INDEX memberships_structure ON memberships (structure_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME
);

CREATE TABLE auth_failures (
    id  INTEGER PRIMARY KEY,
    ip  TEXT NOT NULL,
    at  DATETIME NOT NULL
);
CREATE INDEX auth_failures_ip_at ON auth_failures (ip, at);

CREATE TABLE persons (
    id                INTEGER PRIMARY KEY,
    territory_id      INTEGER NOT NULL REFERENCES territories (id),
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    birth_name        TEXT NOT NULL DEFAULT '',
    birth_date        DATE NOT NULL,
    sex               TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    commune_insee     TEXT NOT NULL DEFAULT '',
    caf_number        TEXT,
    france_travail_id TEXT,
    created_at        DATETIME NOT NULL
);
CREATE UNIQUE INDEX persons_caf ON persons (territory_id, caf_number) WHERE caf_number IS NOT NULL;
CREATE UNIQUE INDEX persons_france_travail ON persons (france_travail_id) WHERE france_travail_id IS NOT NULL;
CREATE INDEX persons_identity ON persons (territory_id, last_name, birth_date);
