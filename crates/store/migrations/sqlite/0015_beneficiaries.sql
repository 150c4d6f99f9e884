-- Keep in step with ../postgres/0015_beneficiaries.sql.
-- Beneficiaries of insertion hours (RGPD). The pseudonymous profile, known by its id, is what
-- placements and statistics use; the identity sits in its own table, read only by the
-- facilitators of the profile's département, each read audited. Both go at the retention date
-- or on request.
CREATE TABLE beneficiaries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    departement TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    sex TEXT NOT NULL,
    commune TEXT NOT NULL,
    qpv INTEGER NOT NULL,
    diploma TEXT NOT NULL,
    criteria TEXT NOT NULL,
    prescriber TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX beneficiaries_departement ON beneficiaries(departement);

CREATE TABLE beneficiary_identities (
    beneficiary_id INTEGER PRIMARY KEY REFERENCES beneficiaries(id),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    contact TEXT
);
