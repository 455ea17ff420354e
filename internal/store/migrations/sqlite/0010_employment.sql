-- Partner employers (a structure of kind employer, with these fields),
-- their offers and immersions, the people the référent agreed to propose,
-- the applications with their transition log, and the exits to employment.

CREATE TABLE employers (
    structure_id        INTEGER PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
    territory_id        INTEGER NOT NULL REFERENCES territories (id),
    naf                 TEXT NOT NULL DEFAULT '',
    address             TEXT NOT NULL DEFAULT '',
    size                TEXT NOT NULL DEFAULT '',
    labels              TEXT NOT NULL DEFAULT '',
    partner_referent_id INTEGER REFERENCES accounts (id),
    contact_name        TEXT NOT NULL DEFAULT '',
    contact_email       TEXT NOT NULL DEFAULT '',
    contact_phone       TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);
CREATE INDEX employers_territory ON employers (territory_id);

CREATE TABLE offers (
    id                 INTEGER PRIMARY KEY,
    territory_id       INTEGER NOT NULL REFERENCES territories (id),
    employer_id        INTEGER NOT NULL REFERENCES employers (structure_id),
    external_ref       TEXT NOT NULL DEFAULT '',
    appellation        TEXT NOT NULL,
    rome_code          TEXT NOT NULL,
    title              TEXT NOT NULL,
    -- The title folded (lower case, no accents), for the search by words.
    search_title       TEXT NOT NULL DEFAULT '',
    description        TEXT NOT NULL DEFAULT '',
    commune_insee      TEXT NOT NULL,
    latitude           REAL NOT NULL DEFAULT 0,
    longitude          REAL NOT NULL DEFAULT 0,
    contract           TEXT NOT NULL,
    weekly_hours       INTEGER NOT NULL DEFAULT 0,
    night              BOOLEAN NOT NULL DEFAULT FALSE,
    weekend            BOOLEAN NOT NULL DEFAULT FALSE,
    start_on           DATE,
    positions          INTEGER NOT NULL DEFAULT 1,
    needs_licence      BOOLEAN NOT NULL DEFAULT FALSE,
    needs_vehicle      BOOLEAN NOT NULL DEFAULT FALSE,
    transit_reachable  BOOLEAN NOT NULL DEFAULT FALSE,
    disability_adapted BOOLEAN NOT NULL DEFAULT FALSE,
    status             TEXT NOT NULL DEFAULT 'draft',
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    published_at       DATETIME
);
CREATE INDEX offers_employer ON offers (employer_id, status);
-- The matching index reads the offers changed since its last load.
CREATE INDEX offers_changed ON offers (territory_id, updated_at);
CREATE UNIQUE INDEX offers_external ON offers (employer_id, external_ref) WHERE external_ref <> '';

-- The référent's agreement to propose a person to offers, and the contracts
-- the person wants.
CREATE TABLE employment_profiles (
    person_id  INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    proposable BOOLEAN NOT NULL DEFAULT FALSE,
    contracts  TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES accounts (id),
    updated_at DATETIME NOT NULL
);

-- The matching index reloads the people whose features changed since its
-- last load: each source of a feature is read by its time of change.
CREATE INDEX employment_profiles_changed ON employment_profiles (updated_at);
CREATE INDEX persons_changed ON persons (territory_id, updated_at);
CREATE INDEX persons_objection ON persons (territory_id, objection_at) WHERE objection_at IS NOT NULL;
CREATE INDEX projects_changed ON projects (updated_at);
CREATE INDEX diagnostic_entries_created ON diagnostic_entries (created_at);
CREATE INDEX diagnostic_entries_ended ON diagnostic_entries (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE applications (
    id             INTEGER PRIMARY KEY,
    territory_id   INTEGER NOT NULL REFERENCES territories (id),
    offer_id       INTEGER NOT NULL REFERENCES offers (id),
    employer_id    INTEGER NOT NULL REFERENCES employers (structure_id),
    person_id      INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    state          TEXT NOT NULL DEFAULT 'new',
    message        TEXT NOT NULL DEFAULT '',
    shares         TEXT NOT NULL DEFAULT '',
    consent_at     DATETIME NOT NULL,
    consent_method TEXT NOT NULL DEFAULT '',
    refusal_reason TEXT NOT NULL DEFAULT '',
    answer         TEXT NOT NULL DEFAULT '',
    hired_on       DATE,
    proposed_by    INTEGER REFERENCES accounts (id),
    proposed_from  INTEGER REFERENCES structures (id),
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX applications_offer ON applications (offer_id, state);
CREATE INDEX applications_employer ON applications (employer_id, state, updated_at);
CREATE INDEX applications_person ON applications (person_id, state);
CREATE INDEX applications_proposer ON applications (proposed_by, updated_at);
-- One application of a person to an offer at a time.
CREATE UNIQUE INDEX applications_one ON applications (offer_id, person_id) WHERE state NOT IN ('refused', 'cancelled', 'obsolete');
-- The job of the 60-day refusal reads the pending ones by age.
CREATE INDEX applications_pending ON applications (updated_at) WHERE state IN ('new', 'processing');

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             DATETIME NOT NULL,
    action         TEXT NOT NULL,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    account_id     INTEGER REFERENCES accounts (id),
    reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application ON application_events (application_id, at);

-- Exits of the pathway: a hire is an exit to employment.
CREATE TABLE exits (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    at             DATETIME NOT NULL,
    application_id INTEGER REFERENCES applications (id),
    cancelled_at   DATETIME
);
CREATE INDEX exits_person ON exits (person_id, at);
CREATE INDEX exits_application ON exits (application_id) WHERE application_id IS NOT NULL;
