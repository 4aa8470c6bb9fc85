"""The report statements of ``adapters.sql.reports``: the pieces each SQL backend writes in its own
dialect (``ReportSql``), and the statements put together from them with those written once."""

from __future__ import annotations

from functools import cache

from attrs import frozen

from adapters.sql.console import LocalDays
from adapters.sql.hold_rows import HOLD_COLUMNS
from adapters.sql.journal_rows import DOCTOR_COLUMNS
from adapters.sql.money_rows import WALLET_COLUMNS
from domain.ledger import AccountKind
from domain.reports import RESERVATION_KINDS
from domain.usage import DOCTOR_VIEW


@frozen
class ReportSql:
    """The pieces of the reports each backend writes in its own dialect."""

    # The test of a wallet's entries ``e``: $1 its account, $2 since (or NULL), $3 'credit' | 'debit'
    # (or NULL).
    wallet_entries: str
    doctor_views: str  # the test of a usage row that is a doctor view and not a repeat
    # ASCII-digit ids first, in numeric order; then the rest by code point.
    doctor_order: str
    of_prefix: str  # the test of a wallet's user id beginning with $1
    local_days: LocalDays  # the dashboard's days
    waiting: str  # the test of an event not yet dispatched (``EventReports``)


SUM = "CAST(coalesce(sum({}), 0) AS BIGINT)"  # Postgres sums bigints as numeric
_RESERVATIONS = ", ".join(sorted(f"'{kind.value}'" for kind in RESERVATION_KINDS))


def _transactions(wallet_entries: str) -> str:
    refunded = SUM.format("r.amount")
    return f"""
SELECT e.transfer_id, e.amount, e.balance_after, e.created_at, t.description, t.kind, t.reference,
       CASE WHEN t.kind = 'charge' THEN (
           SELECT {refunded} FROM transfers r
           WHERE r.reference = 'refund:' || CAST(t.id AS TEXT) AND r.kind = 'refund') END AS refunded
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {wallet_entries}
ORDER BY e.created_at DESC, e.seq DESC LIMIT $4 OFFSET $5
"""


def _totals(wallet_entries: str) -> str:
    """The period's lines but a hold's own (each line's transfer read for its kind: a period's
    lines, found by the wallet's (account, created_at) index)."""
    return f"""
SELECT {SUM.format("CASE WHEN e.amount > 0 THEN e.amount END")} AS credited,
       CAST(coalesce(-sum(CASE WHEN e.amount <= 0 THEN e.amount END), 0) AS BIGINT) AS debited,
       count(CASE WHEN e.amount > 0 THEN 1 END) AS credits,
       count(CASE WHEN e.amount <= 0 THEN 1 END) AS debits
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {wallet_entries} AND t.kind NOT IN ({_RESERVATIONS})
"""


PAYMENT_SUMMARY = f"""
SELECT count(*) AS total,
       count(CASE WHEN status = 'completed' THEN 1 END) AS completed,
       {SUM.format("CASE WHEN status = 'completed' THEN amount END")} AS total_amount,
       count(CASE WHEN status IN ('pending', 'processing') THEN 1 END) AS pending,
       count(CASE WHEN status IN ('failed', 'cancelled', 'expired') THEN 1 END) AS failed
FROM payments WHERE user_id = $1 AND created_at >= $2 AND currency = $3
"""


def _daily(doctor_views: str) -> str:
    return f"""
SELECT count(CASE WHEN {doctor_views} AND transfer_id IS NULL THEN 1 END) AS free_views,
       count(CASE WHEN service_type = '{DOCTOR_VIEW}' AND transfer_id IS NOT NULL THEN 1 END) AS paid_views,
       {SUM.format("CASE WHEN currency = $3 THEN amount END")} AS spent
FROM usage WHERE user_id = $1 AND local_date = $2
"""


def _services(doctor_views: str) -> str:
    return f"""
SELECT count(*) AS views, {SUM.format("CASE WHEN currency = $3 THEN amount END")} AS charges,
       count(CASE WHEN transfer_id IS NULL THEN 1 END) AS free_views
FROM usage WHERE user_id = $1 AND created_at >= $2 AND {doctor_views}
"""


UNBALANCED = """
SELECT count(*) FROM (SELECT t.id FROM transfers t LEFT JOIN entries e ON e.transfer_id = t.id
GROUP BY t.id HAVING count(e.transfer_id) <> 2 OR coalesce(sum(e.amount), 0) <> 0) AS unbalanced
"""

# Every hold with what its own transfers add up to (domain.holds.HoldMoves).
HOLD_MOVES = f"""
SELECT {", ".join(f"h.{column}" for column in HOLD_COLUMNS.split(", "))},
       coalesce(m.held, 0) AS held, coalesce(m.back, 0) AS back, coalesce(m.charged, 0) AS charged,
       coalesce(m.charges, 0) AS charges, CASE WHEN c.id IS NULL THEN 0 ELSE 1 END AS names_its_charge
FROM holds h
LEFT JOIN (SELECT reference, {SUM.format("CASE WHEN kind = 'hold' THEN amount END")} AS held,
                  {SUM.format("CASE WHEN kind = 'release' THEN amount END")} AS back,
                  {SUM.format("CASE WHEN kind = 'charge' THEN amount END")} AS charged,
                  count(CASE WHEN kind = 'charge' THEN 1 END) AS charges
           FROM transfers WHERE reference LIKE 'hold:%' GROUP BY reference) m
       ON m.reference = 'hold:' || CAST(h.id AS TEXT)
LEFT JOIN transfers c ON c.id = h.transaction_id AND c.kind = 'charge' AND c.reference = m.reference
"""

_WALLET_CODE = f"'{AccountKind.WALLET.value}:' || w.user_id || ':' || w.currency"

# A wallet's flows as kept on its row (a trigger of the migration ``wallet_flows`` adds each
# transfer to them as it is recorded).
WALLET_FLOWS = "SELECT total_in, total_out FROM wallets WHERE user_id = $1 AND currency = $2"

# Every wallet's kept flows next to a recount from the ledger (domain.reports.WalletFlows): the
# transfers into and out of its account but a hold's own, and the captures made before 2026-12-07
# (the revenue charged from the holds account, no transfer of the wallet). Each side is one pass
# over the transfers, grouped by account (no entry is looked up: verify runs on every dashboard).
FLOWS_RECOUNTED = f"""
SELECT w.user_id, w.currency, w.total_in, w.total_out, coalesce(i.moved, 0) AS counted_in,
       coalesce(o.moved, 0) + coalesce(c.captured, 0) AS counted_out
FROM wallets w
LEFT JOIN (SELECT credit_account AS account, {SUM.format("amount")} AS moved FROM transfers
           WHERE credit_account LIKE '{AccountKind.WALLET.value}:%' AND kind NOT IN ({_RESERVATIONS})
           GROUP BY credit_account) i ON i.account = {_WALLET_CODE}
LEFT JOIN (SELECT debit_account AS account, {SUM.format("amount")} AS moved FROM transfers
           WHERE debit_account LIKE '{AccountKind.WALLET.value}:%' AND kind NOT IN ({_RESERVATIONS})
           GROUP BY debit_account) o ON o.account = {_WALLET_CODE}
LEFT JOIN (SELECT h.user_id, h.currency, {SUM.format("h.captured_amount")} AS captured
           FROM holds h JOIN transfers t ON t.id = h.transaction_id
           WHERE h.status = 'captured' AND t.debit_account = '{AccountKind.HOLDS.value}:' || h.currency
           GROUP BY h.user_id, h.currency) c ON c.user_id = w.user_id AND c.currency = w.currency
"""


@frozen
class ReportStatements:
    entries: str
    transactions: str
    totals: str
    daily: str
    services: str
    wallet_count: str
    wallets: str
    doctors: str


@cache  # a backend's statements are put together once, not for every unit
def report_statements(sql: ReportSql) -> ReportStatements:
    return ReportStatements(
        f"SELECT count(*) FROM entries e WHERE {sql.wallet_entries}", _transactions(sql.wallet_entries),
        _totals(sql.wallet_entries), _daily(sql.doctor_views), _services(sql.doctor_views),
        f"SELECT count(*) FROM wallets WHERE {sql.of_prefix}",
        f"SELECT {WALLET_COLUMNS} FROM wallets WHERE {sql.of_prefix} ORDER BY user_id, currency "
        "LIMIT $2 OFFSET $3",
        f"SELECT {DOCTOR_COLUMNS} FROM doctors ORDER BY {sql.doctor_order} LIMIT $1 OFFSET $2",
    )
