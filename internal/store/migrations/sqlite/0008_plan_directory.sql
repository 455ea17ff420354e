-- The plan (contrat d'engagement: objectives, actions, weekly hours,
-- signature), the directory of services in the data·inclusion schema v1
-- (structures gain their directory fields; services and their thématiques),
-- and the referrals of people to services with their single-use links.

-- A structure is a member of the consortium (with accounts), or a
-- structure of the directory only, which publishes services and answers
-- referrals through single-use links.
ALTER TABLE structures ADD COLUMN member BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE structures ADD COLUMN di_source TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN di_id TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN address_complement TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN latitude REAL NOT NULL DEFAULT 0;
ALTER TABLE structures ADD COLUMN longitude REAL NOT NULL DEFAULT 0;
ALTER TABLE structures ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN accessibility_link TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN source_link TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN networks TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN updated_at DATETIME;
CREATE UNIQUE INDEX structures_di ON structures (territory_id, di_id) WHERE di_id <> '';

CREATE TABLE services (
    id                   INTEGER PRIMARY KEY,
    territory_id         INTEGER NOT NULL REFERENCES territories (id),
    structure_id         INTEGER NOT NULL REFERENCES structures (id),
    di_source            TEXT NOT NULL DEFAULT '',
    di_id                TEXT NOT NULL DEFAULT '',
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    type                 TEXT NOT NULL DEFAULT '',
    thematiques          TEXT NOT NULL DEFAULT '',
    fees                 TEXT NOT NULL DEFAULT '',
    fees_details         TEXT NOT NULL DEFAULT '',
    publics              TEXT NOT NULL DEFAULT '',
    publics_details      TEXT NOT NULL DEFAULT '',
    access_conditions    TEXT NOT NULL DEFAULT '',
    commune_insee        TEXT NOT NULL DEFAULT '',
    postal_code          TEXT NOT NULL DEFAULT '',
    address              TEXT NOT NULL DEFAULT '',
    address_complement   TEXT NOT NULL DEFAULT '',
    latitude             REAL NOT NULL DEFAULT 0,
    longitude            REAL NOT NULL DEFAULT 0,
    phone                TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    contact_name         TEXT NOT NULL DEFAULT '',
    reception_modes      TEXT NOT NULL DEFAULT '',
    eligibility_zone     TEXT NOT NULL DEFAULT '',
    mobilisation_link    TEXT NOT NULL DEFAULT '',
    mobilisation_modes   TEXT NOT NULL DEFAULT '',
    mobilisable_by       TEXT NOT NULL DEFAULT '',
    mobilisation_details TEXT NOT NULL DEFAULT '',
    weekly_hours         REAL NOT NULL DEFAULT 0,
    weeks                INTEGER NOT NULL DEFAULT 0,
    opening_hours        TEXT NOT NULL DEFAULT '',
    source_link          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'draft',
    search_text          TEXT NOT NULL DEFAULT '',
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE UNIQUE INDEX services_di ON services (territory_id, di_id) WHERE di_id <> '';
CREATE INDEX services_structure ON services (structure_id, status);
CREATE INDEX services_territory ON services (territory_id, status);

-- One row per thématique of a published service, with its position: the
-- search by thématique and distance reads this index only, then the
-- services it keeps. Written with the service, in the same transaction.
CREATE TABLE service_thematiques (
    territory_id INTEGER NOT NULL,
    thematique   TEXT NOT NULL,
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    latitude     REAL NOT NULL DEFAULT 0,
    longitude    REAL NOT NULL DEFAULT 0,
    remote       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (territory_id, thematique, service_id)
);
CREATE INDEX service_thematiques_service ON service_thematiques (service_id);

CREATE TABLE plan_objectives (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    theme             TEXT NOT NULL,
    label             TEXT NOT NULL,
    situations        TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'in_progress',
    section           TEXT NOT NULL DEFAULT '',
    created_by        INTEGER REFERENCES accounts (id),
    created_structure INTEGER REFERENCES structures (id),
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX plan_objectives_person ON plan_objectives (person_id);

CREATE TABLE plan_actions (
    id           INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES plan_objectives (id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'planned',
    due_on       DATE,
    structure_id INTEGER REFERENCES structures (id),
    account_id   INTEGER REFERENCES accounts (id),
    weekly_hours REAL NOT NULL DEFAULT 0,
    service_id   INTEGER REFERENCES services (id),
    section      TEXT NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES accounts (id),
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX plan_actions_objective ON plan_actions (objective_id);
CREATE INDEX plan_actions_person ON plan_actions (person_id);

CREATE TABLE contracts (
    person_id      INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    target_hours   REAL NOT NULL DEFAULT 15,
    adjust_reason  TEXT NOT NULL DEFAULT '',
    adjust_comment TEXT NOT NULL DEFAULT '',
    signed_on      DATE,
    signatories    TEXT NOT NULL DEFAULT '',
    updated_by     INTEGER REFERENCES accounts (id),
    updated_at     DATETIME NOT NULL
);

CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    territory_id        INTEGER NOT NULL REFERENCES territories (id),
    action_id           INTEGER REFERENCES plan_actions (id) ON DELETE SET NULL,
    service_id          INTEGER NOT NULL REFERENCES services (id),
    structure_id        INTEGER NOT NULL REFERENCES structures (id),
    sender_id           INTEGER REFERENCES accounts (id),
    sender_structure_id INTEGER REFERENCES structures (id),
    motive              TEXT NOT NULL DEFAULT '',
    notify_person       BOOLEAN NOT NULL DEFAULT FALSE,
    section             TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'sent',
    refusal_reason      TEXT NOT NULL DEFAULT '',
    comment             TEXT NOT NULL DEFAULT '',
    sent_at             DATETIME NOT NULL,
    reminded_at         DATETIME,
    answered_at         DATETIME,
    answered_by         INTEGER REFERENCES accounts (id),
    closed_at           DATETIME,
    closed_by           INTEGER REFERENCES accounts (id)
);
CREATE INDEX referrals_open ON referrals (status, sent_at);
CREATE INDEX referrals_structure ON referrals (structure_id, status, sent_at);
CREATE INDEX referrals_person ON referrals (person_id, sent_at);
CREATE INDEX referrals_service ON referrals (service_id, status);
-- One open referral (sent or accepted) of a person to a service: the
-- check in CreateReferral alone lets two concurrent ones through.
CREATE UNIQUE INDEX referrals_one_open ON referrals (person_id, service_id) WHERE status IN ('sent', 'accepted');

-- Single-use answer links for structures without accounts: only the
-- SHA-256 of the token is kept.
CREATE TABLE referral_links (
    token_hash  TEXT PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME
);
CREATE INDEX referral_links_referral ON referral_links (referral_id);
