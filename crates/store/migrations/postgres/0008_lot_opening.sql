-- Keep in step with ../sqlite/0008_lot_opening.sql.
-- Offers are opened lot by lot: the lots opened so far, as "|1|3|".
ALTER TABLE consultation_keys ADD COLUMN offres_opened_lots TEXT NOT NULL DEFAULT '';
