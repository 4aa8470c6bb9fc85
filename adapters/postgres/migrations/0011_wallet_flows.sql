-- Money into and out of each wallet, kept on its row so that a wallet's answer reads two columns
-- instead of adding up every line it ever had. A hold's own lines (kind 'hold', 'release': money
-- reserved and given back, never in or out) count in neither. Kept by a trigger on every transfer,
-- in the transaction that records it (deferred to its commit, when every row it names is written).
-- A capture made before 2026-12-07 charged the revenue from the holds account (no charge line of
-- the wallet): its captured amount is money out.

ALTER TABLE wallets ADD COLUMN total_in BIGINT NOT NULL DEFAULT 0;
ALTER TABLE wallets ADD COLUMN total_out BIGINT NOT NULL DEFAULT 0;

UPDATE wallets w SET
    total_in = (SELECT coalesce(sum(e.amount), 0) FROM entries e JOIN transfers t ON t.id = e.transfer_id
                WHERE e.account = 'wallet:' || w.user_id || ':' || w.currency AND e.amount > 0
                  AND t.kind NOT IN ('hold', 'release')),
    total_out = (SELECT coalesce(-sum(e.amount), 0) FROM entries e JOIN transfers t ON t.id = e.transfer_id
                 WHERE e.account = 'wallet:' || w.user_id || ':' || w.currency AND e.amount < 0
                   AND t.kind NOT IN ('hold', 'release'))
              + (SELECT coalesce(sum(h.captured_amount), 0) FROM holds h JOIN transfers t ON t.id = h.transaction_id
                 WHERE h.user_id = w.user_id AND h.currency = w.currency AND h.status = 'captured'
                   AND t.debit_account = 'holds:' || w.currency);

CREATE FUNCTION wallet_flows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.debit_account = 'wallet:' || NEW.user_id || ':' || NEW.currency THEN
        UPDATE wallets SET total_out = total_out + NEW.amount
        WHERE user_id = NEW.user_id AND currency = NEW.currency;
    END IF;
    IF NEW.credit_account = 'wallet:' || NEW.user_id || ':' || NEW.currency THEN
        UPDATE wallets SET total_in = total_in + NEW.amount
        WHERE user_id = NEW.user_id AND currency = NEW.currency;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER wallet_flows AFTER INSERT ON transfers DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.kind NOT IN ('hold', 'release')) EXECUTE FUNCTION wallet_flows();
