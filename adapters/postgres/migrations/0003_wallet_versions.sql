-- A wallet's version: raised by every unit that locks or saves the wallet. An optimistic unit reads
-- a wallet without locking it and commits only if the version is still the one it read, so a charge
-- needs no BEGIN, no row lock held across round trips and no COMMIT of its own.

ALTER TABLE wallets ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
