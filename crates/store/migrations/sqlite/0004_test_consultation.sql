-- Keep in step with ../postgres/0004_test_consultation.sql.
-- The permanent test consultation, where any firm may try a deposit; never listed.
ALTER TABLE consultations ADD COLUMN is_test INTEGER NOT NULL DEFAULT 0;
