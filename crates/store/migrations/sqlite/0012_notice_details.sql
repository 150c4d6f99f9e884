-- Keep in step with ../postgres/0012_notice_details.sql.
-- What official notices (eForms) need beyond what Halle asked so far: the award criteria and the
-- offers' validity of a consultation; a buyer organisation's contact details and review body.
-- criteria: one criterion a line, "kind<TAB>weight<TAB>name" (names hold no control character).
ALTER TABLE consultations ADD COLUMN criteria TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN tender_validity_days INTEGER;
ALTER TABLE organisations ADD COLUMN phone TEXT;
ALTER TABLE organisations ADD COLUMN email TEXT;
ALTER TABLE organisations ADD COLUMN postcode TEXT;
ALTER TABLE organisations ADD COLUMN town TEXT;
ALTER TABLE organisations ADD COLUMN review_name TEXT;
ALTER TABLE organisations ADD COLUMN review_siret TEXT;
ALTER TABLE organisations ADD COLUMN review_postcode TEXT;
ALTER TABLE organisations ADD COLUMN review_town TEXT;
