-- Orientation: requests from any professional or an import, decided by a
-- coordinator within the legal delay; reorientations; the territory's
-- delays and local schemes (dispositifs); imports of beneficiary lists.
CREATE TABLE orientations (
    id                    INTEGER PRIMARY KEY,
    person_id             BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    territory_id          BIGINT NOT NULL REFERENCES territories (id),
    suggested_type        TEXT NOT NULL DEFAULT '',
    reason                TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL,
    requested_by          BIGINT REFERENCES accounts (id),
    requested_structure   BIGINT REFERENCES structures (id),
    requested_at          DATETIME NOT NULL,
    due_on                DATE NOT NULL,
    status                TEXT NOT NULL DEFAULT 'pending',
    decided_at            DATETIME,
    decided_by            BIGINT REFERENCES accounts (id),
    decision_type         TEXT NOT NULL DEFAULT '',
    structure_id          BIGINT REFERENCES structures (id),
    dispositif            TEXT NOT NULL DEFAULT '',
    referent_id           BIGINT REFERENCES accounts (id),
    refusal_reason        TEXT NOT NULL DEFAULT '',
    contract_due_on       DATE,
    appointment_due_on    DATE,
    appointment_target_on DATE,
    import_id             BIGINT
);
CREATE INDEX orientations_queue ON orientations (territory_id, status, due_on);
CREATE INDEX orientations_person ON orientations (person_id, requested_at);
CREATE UNIQUE INDEX orientations_one_pending ON orientations (person_id) WHERE status = 'pending';

CREATE TABLE reorientations (
    id             INTEGER PRIMARY KEY,
    person_id      BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    orientation_id BIGINT REFERENCES orientations (id),
    requested_by   BIGINT NOT NULL REFERENCES accounts (id),
    from_structure BIGINT REFERENCES structures (id),
    to_type        TEXT NOT NULL DEFAULT '',
    to_structure   BIGINT REFERENCES structures (id),
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending',
    requested_at   DATETIME NOT NULL,
    decided_at     DATETIME,
    decided_by     BIGINT REFERENCES accounts (id),
    denial_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reorientations_status ON reorientations (status, requested_at);
CREATE UNIQUE INDEX reorientations_one_pending ON reorientations (person_id) WHERE status = 'pending';

CREATE TABLE orientation_rules (
    territory_id            BIGINT PRIMARY KEY REFERENCES territories (id),
    decision_days           INTEGER NOT NULL,
    contract_months         INTEGER NOT NULL,
    appointment_days        INTEGER NOT NULL,
    appointment_target_days INTEGER NOT NULL
);

CREATE TABLE dispositifs (
    id           INTEGER PRIMARY KEY,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    structure_id BIGINT REFERENCES structures (id),
    name         TEXT NOT NULL,
    UNIQUE (territory_id, name)
);

CREATE TABLE import_mappings (
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    name         TEXT NOT NULL,
    mapping      TEXT NOT NULL,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (structure_id, name)
);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    structure_id BIGINT NOT NULL REFERENCES structures (id),
    account_id   BIGINT REFERENCES accounts (id),
    filename     TEXT NOT NULL,
    mapping      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'preview',
    created_at   DATETIME NOT NULL,
    committed_at DATETIME,
    creates      INTEGER NOT NULL DEFAULT 0,
    updates      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_rows (
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    action    TEXT NOT NULL,
    person_id BIGINT,
    data      TEXT NOT NULL,
    errors    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, line)
);
