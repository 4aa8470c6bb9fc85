-- Money into and out of each wallet, kept on its row so that a wallet's answer reads two columns
-- instead of adding up every line it ever had. A hold's own lines (kind 'hold', 'release': money
-- reserved and given back, never in or out) count in neither. Kept by a trigger on every transfer,
-- in the transaction that records it. A capture made before 2026-12-07 charged the revenue from
-- the holds account (no charge line of the wallet): its captured amount is money out.

ALTER TABLE wallets ADD COLUMN total_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wallets ADD COLUMN total_out INTEGER NOT NULL DEFAULT 0;

UPDATE wallets SET
    total_in = (SELECT coalesce(sum(e.amount), 0) FROM entries e JOIN transfers t ON t.id = e.transfer_id
                WHERE e.account = 'wallet:' || wallets.user_id || ':' || wallets.currency AND e.amount > 0
                  AND t.kind NOT IN ('hold', 'release')),
    total_out = (SELECT coalesce(-sum(e.amount), 0) FROM entries e JOIN transfers t ON t.id = e.transfer_id
                 WHERE e.account = 'wallet:' || wallets.user_id || ':' || wallets.currency AND e.amount < 0
                   AND t.kind NOT IN ('hold', 'release'))
              + (SELECT coalesce(sum(h.captured_amount), 0) FROM holds h JOIN transfers t ON t.id = h.transaction_id
                 WHERE h.user_id = wallets.user_id AND h.currency = wallets.currency AND h.status = 'captured'
                   AND t.debit_account = 'holds:' || wallets.currency);

CREATE TRIGGER wallet_flows AFTER INSERT ON transfers WHEN NEW.kind NOT IN ('hold', 'release')
BEGIN
    UPDATE wallets SET total_out = total_out + NEW.amount
    WHERE NEW.debit_account = 'wallet:' || NEW.user_id || ':' || NEW.currency
      AND user_id = NEW.user_id AND currency = NEW.currency;
    UPDATE wallets SET total_in = total_in + NEW.amount
    WHERE NEW.credit_account = 'wallet:' || NEW.user_id || ':' || NEW.currency
      AND user_id = NEW.user_id AND currency = NEW.currency;
END;
