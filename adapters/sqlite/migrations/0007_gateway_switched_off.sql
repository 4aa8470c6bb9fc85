-- SPEC §17: credentials that appear after the first start activate their gateway at the next
-- start, unless an admin switched it off (kept here).

ALTER TABLE gateway_configs ADD COLUMN switched_off INTEGER NOT NULL DEFAULT 0;
-- A row already inactive when this arrives may have been switched off by an admin: keep it so.
UPDATE gateway_configs SET switched_off = 1 WHERE is_active = 0;
