-- Keep in step with ../sqlite/0004_test_consultation.sql.
-- The permanent test consultation, where any firm may try a deposit; never listed.
ALTER TABLE consultations ADD COLUMN is_test BIGINT NOT NULL DEFAULT 0;
