-- Keep in step with ../postgres/0002_bids.sql.
-- A buyer's own age public key: the consultation keys of their organisation are wrapped to it.
CREATE TABLE opening_keys (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    public_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Made at publication: bids are sealed to public_key; the matching private key exists only
-- wrapped to the opening committee's keys.
CREATE TABLE consultation_keys (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id),
    public_key TEXT NOT NULL,
    wrapped_identity TEXT NOT NULL,
    committee TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE bids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    lots TEXT NOT NULL,
    started_at_micros INTEGER NOT NULL,
    received_at_micros INTEGER NOT NULL,
    late INTEGER NOT NULL,
    receipt TEXT NOT NULL
);
CREATE INDEX bids_consultation ON bids(consultation_id);

CREATE TABLE bid_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id INTEGER NOT NULL REFERENCES bids(id),
    envelope TEXT NOT NULL,
    name TEXT NOT NULL,
    plain_size INTEGER NOT NULL,
    plain_sha256 TEXT NOT NULL,
    sealed_size INTEGER NOT NULL,
    storage_key TEXT NOT NULL
);
CREATE INDEX bid_files_bid ON bid_files(bid_id);
