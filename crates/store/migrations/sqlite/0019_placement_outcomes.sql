-- Keep in step with ../postgres/0019_placement_outcomes.sql.
-- Where a beneficiary stands when the placement ends and six months later (Outcome codes).
ALTER TABLE placements ADD COLUMN outcome_end TEXT;
ALTER TABLE placements ADD COLUMN outcome_six_months TEXT;
