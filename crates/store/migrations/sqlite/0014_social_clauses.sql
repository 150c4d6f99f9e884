-- Keep in step with ../postgres/0014_social_clauses.sql.
-- A social clause per lot (lot_number 0: a consultation without lots). The calculator's inputs
-- are kept to explain the hours; override_hours, with its reason, replaces computed_hours.
-- Lists ('|'-joined codes) like the considerations.
CREATE TABLE social_clauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    legal_basis TEXT NOT NULL,
    amount_cents INTEGER,
    labour_share_bp INTEGER,
    insertion_rate_bp INTEGER,
    hourly_cost_cents INTEGER,
    computed_hours INTEGER,
    override_hours INTEGER,
    override_reason TEXT,
    publics TEXT NOT NULL,
    ways TEXT NOT NULL,
    facilitator_departement TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (consultation_id, lot_number)
);
