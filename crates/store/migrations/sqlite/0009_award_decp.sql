-- Keep in step with ../postgres/0009_award_decp.sql.
-- The DECP v2 fields an award was missing. Lists are stored '|'-joined, like the considerations.
ALTER TABLE awards RENAME COLUMN price_type TO price_types;
UPDATE awards SET price_types = 'Définitif ferme' WHERE price_types = 'Ferme';
UPDATE awards SET price_types = 'Définitif actualisable' WHERE price_types = 'Actualisable';
UPDATE awards SET price_types = 'Définitif révisable' WHERE price_types = 'Révisable';
ALTER TABLE awards ADD COLUMN techniques TEXT NOT NULL DEFAULT 'Sans objet';
ALTER TABLE awards ADD COLUMN modalities TEXT NOT NULL DEFAULT 'Sans objet';
ALTER TABLE awards ADD COLUMN ccag TEXT NOT NULL DEFAULT 'Pas de CCAG';
ALTER TABLE awards ADD COLUMN innovative INTEGER NOT NULL DEFAULT 0;
-- advance_granted 0: no advance; advance_rate_bp NULL with advance_granted 1: rate unknown.
ALTER TABLE awards ADD COLUMN advance_granted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE awards ADD COLUMN advance_rate_bp INTEGER;
