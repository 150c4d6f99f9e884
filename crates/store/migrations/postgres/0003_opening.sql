-- Keep in step with ../sqlite/0003_opening.sql.
-- After the deadline, a committee member's secret unwraps the consultation key; from then on
-- the buyer's authorised users may open the envelopes, candidatures first.
ALTER TABLE consultation_keys ADD COLUMN opened_identity TEXT;
ALTER TABLE consultation_keys ADD COLUMN unlocked_by BIGINT REFERENCES users(id);
ALTER TABLE consultation_keys ADD COLUMN unlocked_at BIGINT;
ALTER TABLE consultation_keys ADD COLUMN candidatures_opened_at BIGINT;
ALTER TABLE consultation_keys ADD COLUMN offres_opened_at BIGINT;
