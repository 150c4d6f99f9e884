-- Keep in step with ../postgres/0022_operation_sme_target.sql.
-- A charter's target for the share of the contracts' amount going to SMEs, in basis points.
ALTER TABLE operations ADD COLUMN target_sme_bp INTEGER;
