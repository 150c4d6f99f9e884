-- Keep in step with ../postgres/0017_operations.sql.
-- Operations group awarded lots with a social clause under one charter and its targets.
CREATE TABLE operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    charter TEXT NOT NULL,
    target_rate_bp INTEGER NOT NULL,
    target_hours INTEGER,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE operation_contracts (
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    lot_number INTEGER NOT NULL,
    PRIMARY KEY (operation_id, consultation_id, lot_number)
);
