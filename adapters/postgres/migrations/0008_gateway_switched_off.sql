-- SPEC §17: credentials that appear after the first start activate their gateway at the next
-- start, unless an admin switched it off (kept here).

ALTER TABLE gateway_configs ADD COLUMN switched_off BOOLEAN NOT NULL DEFAULT FALSE;
-- A row already inactive when this arrives may have been switched off by an admin: keep it so.
UPDATE gateway_configs SET switched_off = TRUE WHERE NOT is_active;
