-- Appointments: the territory's appointment types, agendas (places, weekly
-- rules, exceptions), seats booked per slot, invitations with self-booking,
-- appointments; the channels people stopped; the provider's reference of
-- each message sent.

CREATE TABLE appointment_settings (
    territory_id    INTEGER PRIMARY KEY REFERENCES territories (id),
    invitation_days INTEGER NOT NULL DEFAULT 10
);

CREATE TABLE appointment_types (
    id           INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories (id),
    category     TEXT NOT NULL,
    label        TEXT NOT NULL,
    duration_min INTEGER NOT NULL,
    capacity     INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    UNIQUE (territory_id, label)
);

CREATE TABLE agendas (
    id           INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories (id),
    structure_id INTEGER NOT NULL REFERENCES structures (id),
    account_id   INTEGER REFERENCES accounts (id),
    name         TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX agendas_structure ON agendas (structure_id, active);

CREATE TABLE agenda_places (
    id            INTEGER PRIMARY KEY,
    agenda_id     INTEGER NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    label         TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    commune_insee TEXT NOT NULL DEFAULT '',
    details       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_places_agenda ON agenda_places (agenda_id);

CREATE TABLE agenda_rules (
    id          INTEGER PRIMARY KEY,
    agenda_id   INTEGER NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    type_id     INTEGER NOT NULL REFERENCES appointment_types (id),
    place_id    INTEGER NOT NULL REFERENCES agenda_places (id),
    weekday     INTEGER NOT NULL,
    start_min   INTEGER NOT NULL,
    end_min     INTEGER NOT NULL,
    valid_from  DATE,
    valid_until DATE
);
CREATE INDEX agenda_rules_agenda ON agenda_rules (agenda_id);

CREATE TABLE agenda_exceptions (
    id        INTEGER PRIMARY KEY,
    agenda_id INTEGER NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    on_date   DATE NOT NULL,
    start_min INTEGER NOT NULL DEFAULT 0,
    end_min   INTEGER NOT NULL DEFAULT 0,
    closed    BOOLEAN NOT NULL,
    type_id   INTEGER REFERENCES appointment_types (id),
    place_id  INTEGER REFERENCES agenda_places (id),
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_exceptions_agenda ON agenda_exceptions (agenda_id, on_date);

-- The seats taken in a slot: the row is the lock of the slot, so that two
-- bookings of its last seat cannot both win (a conditional increment).
CREATE TABLE slot_seats (
    agenda_id INTEGER NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    starts_at DATETIME NOT NULL,
    capacity  INTEGER NOT NULL,
    booked    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (agenda_id, starts_at)
);

CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    territory_id   INTEGER NOT NULL REFERENCES territories (id),
    structure_id   INTEGER NOT NULL REFERENCES structures (id),
    type_id        INTEGER NOT NULL REFERENCES appointment_types (id),
    orientation_id INTEGER REFERENCES orientations (id),
    channels       TEXT NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES accounts (id),
    created_at     DATETIME NOT NULL,
    expires_at     DATETIME NOT NULL,
    reminded_at    DATETIME,
    expired_at     DATETIME,
    appointment_id INTEGER,
    booked_at      DATETIME
);
CREATE INDEX invitations_person ON invitations (person_id, created_at);
-- The jobs read the open invitations only: by age for the reminder, by
-- expiry for the expiry.
CREATE INDEX invitations_to_remind ON invitations (created_at) WHERE booked_at IS NULL AND expired_at IS NULL AND reminded_at IS NULL;
CREATE INDEX invitations_to_expire ON invitations (expires_at) WHERE booked_at IS NULL AND expired_at IS NULL;

CREATE TABLE appointments (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    territory_id      INTEGER NOT NULL REFERENCES territories (id),
    structure_id      INTEGER NOT NULL REFERENCES structures (id),
    agenda_id         INTEGER NOT NULL REFERENCES agendas (id),
    type_id           INTEGER NOT NULL REFERENCES appointment_types (id),
    place_id          INTEGER REFERENCES agenda_places (id),
    orientation_id    INTEGER REFERENCES orientations (id),
    invitation_id     INTEGER REFERENCES invitations (id),
    starts_at         DATETIME NOT NULL,
    duration_min      INTEGER NOT NULL,
    status            TEXT NOT NULL DEFAULT 'unknown',
    origin            TEXT NOT NULL,
    created_by        INTEGER REFERENCES accounts (id),
    created_at        DATETIME NOT NULL,
    status_at         DATETIME,
    status_by         INTEGER REFERENCES accounts (id),
    reminded48_at     DATETIME,
    reminded24_at     DATETIME
);
CREATE INDEX appointments_person ON appointments (person_id, starts_at);
CREATE INDEX appointments_agenda ON appointments (agenda_id, starts_at);
CREATE INDEX appointments_structure ON appointments (structure_id, starts_at);
CREATE INDEX appointments_upcoming ON appointments (starts_at) WHERE status = 'unknown';
-- A person holds one seat of a slot at most.
CREATE UNIQUE INDEX appointments_one_seat ON appointments (agenda_id, starts_at, person_id) WHERE status = 'unknown';

-- The links of messages: to book through an invitation, to manage (cancel,
-- move) an appointment. Each message carries a fresh random token; only its
-- SHA-256 is kept. A link works while its invitation or appointment does.
CREATE TABLE invitation_links (
    token_hash    TEXT PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    created_at    DATETIME NOT NULL
);
CREATE INDEX invitation_links_invitation ON invitation_links (invitation_id);
CREATE TABLE appointment_links (
    token_hash     TEXT PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    created_at     DATETIME NOT NULL
);
CREATE INDEX appointment_links_appointment ON appointment_links (appointment_id);

-- The channels a person stopped (by the link of a message), and the links.
CREATE TABLE contact_stops (
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    stopped_at DATETIME NOT NULL,
    PRIMARY KEY (person_id, channel)
);
CREATE TABLE contact_stop_links (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

ALTER TABLE outbox ADD COLUMN provider_ref TEXT NOT NULL DEFAULT '';
