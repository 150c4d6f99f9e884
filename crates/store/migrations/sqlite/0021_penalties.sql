-- Keep in step with ../postgres/0021_penalties.sql.
-- Penalties of a social clause: proposed by a facilitator or the buyer, applied or waived by
-- the buyer. reason and status: PenaltyReason and PenaltyStatus codes.
CREATE TABLE clause_penalties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    reason TEXT NOT NULL,
    hours_missing INTEGER,
    amount_cents INTEGER NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES users(id),
    proposed_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER
);
CREATE INDEX clause_penalties_contract ON clause_penalties(consultation_id, lot_number);
