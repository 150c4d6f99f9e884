-- Keep in step with ../postgres/0006_awards.sql.
-- The award of a consultation, per lot (lot_number 0: the whole consultation), with the fields
-- the DECP v2 essential data need.
CREATE TABLE awards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    notified_on TEXT NOT NULL,
    duration_months INTEGER NOT NULL,
    price_form TEXT NOT NULL,
    price_type TEXT NOT NULL,
    grouping TEXT NOT NULL,
    offers_received INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (consultation_id, lot_number)
);

CREATE TABLE award_holders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    award_id INTEGER NOT NULL REFERENCES awards(id),
    role TEXT NOT NULL,
    siret TEXT NOT NULL,
    name TEXT NOT NULL,
    amount_cents INTEGER
);
CREATE INDEX award_holders_award ON award_holders(award_id);
