-- Keep in step with ../postgres/0016_placements.sql.
-- Following an awarded lot's social clause: the firm's commitment, the placements of
-- beneficiaries, and the monthly hours the firm reports and the facilitator validates.
CREATE TABLE clause_commitments (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, lot_number)
);

-- beneficiary_id has no foreign key on purpose: erasing a person (RGPD) keeps the hours worked.
CREATE TABLE placements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    beneficiary_id INTEGER NOT NULL,
    employer_siret TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    way TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX placements_contract ON placements(consultation_id, lot_number);

-- month: its first day, YYYY-MM-01.
CREATE TABLE hours_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    placement_id INTEGER NOT NULL REFERENCES placements(id),
    month TEXT NOT NULL,
    hours INTEGER NOT NULL,
    status TEXT NOT NULL,
    reported_by INTEGER NOT NULL REFERENCES users(id),
    reported_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    UNIQUE (placement_id, month)
);
