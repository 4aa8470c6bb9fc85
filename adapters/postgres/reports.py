"""What is read for display or checking (``ports.reports``): wallet lines and totals, payment
searches and summaries, usage reports, payment logs, the audit trail, the doctor table, and the
sums ``verify`` compares.

Every report runs as ``run_alone``: in a reading unit (one REPEATABLE READ snapshot) and in a unit
already in its transaction, inside it; in a unit still watching its wallets (which has written
nothing yet), on its own, so that a report does not begin a transaction the unit does not need.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from adapters.postgres.console import PgDashboard
from adapters.postgres.events import deliveries_page, events_page, oldest_undelivered
from adapters.postgres.holds import active_holds, holds_page
from adapters.postgres.session import Session
from adapters.sql.journal_rows import (
    AUDIT_COLUMNS,
    DOCTOR_COLUMNS,
    LOG_COLUMNS,
    audit_from,
    doctor_from,
    log_from,
)
from adapters.sql.money_rows import (
    TRANSFER_COLUMNS,
    WALLET_COLUMNS,
    payment_from,
    transaction_from,
    transfer_from,
    wallet_from,
)
from adapters.sql.payment_search import payment_search
from adapters.sql.values import NATIVE
from domain.doctors import Doctor
from domain.events import Delivery, Event
from domain.holds import Hold, HoldStatus
from domain.journal import AuditEntry
from domain.ledger import Account, Transfer, Wallet
from domain.money import Currency
from domain.paging import Page, PageRequest
from domain.payments import Payment, PaymentLog, PaymentStatus
from domain.reports import DailyUsage, PaymentSummary, ServiceSummary, WalletTotals, WalletTransaction
from domain.usage import DOCTOR_VIEW, FreeReason
from ports.services import Cipher

# The wallet's entries; $2 since (or NULL), $3 credit | debit (or NULL).
_WALLET_ENTRIES = """
e.account = $1 AND ($2::timestamptz IS NULL OR e.created_at >= $2)
AND ($3::text IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = $3)
"""
_TRANSACTIONS = f"""
SELECT e.transfer_id, e.amount, e.balance_after, e.created_at, t.description, t.kind, t.reference,
       CASE WHEN t.kind = 'charge' THEN (
           SELECT coalesce(sum(r.amount), 0)::bigint FROM transfers r
           WHERE r.reference = 'refund:' || t.id::text AND r.kind = 'refund') END AS refunded
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {_WALLET_ENTRIES}
ORDER BY e.created_at DESC, e.seq DESC LIMIT $4 OFFSET $5
"""
_TOTALS = f"""
SELECT coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0)::bigint AS credited,
       coalesce(-sum(e.amount) FILTER (WHERE e.amount <= 0), 0)::bigint AS debited,
       count(*) FILTER (WHERE e.amount > 0) AS credits,
       count(*) FILTER (WHERE e.amount <= 0) AS debits
FROM entries e WHERE {_WALLET_ENTRIES}
"""
_PAYMENT_SUMMARY = """
SELECT count(*) AS total,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       coalesce(sum(amount) FILTER (WHERE status = 'completed'), 0)::bigint AS total_amount,
       count(*) FILTER (WHERE status IN ('pending', 'processing')) AS pending,
       count(*) FILTER (WHERE status IN ('failed', 'cancelled', 'expired')) AS failed
FROM payments WHERE user_id = $1 AND created_at >= $2
"""
_REPEAT = FreeReason.REPEAT_VIEW.value
_DOCTOR_VIEWS = f"service_type = '{DOCTOR_VIEW}' AND free_reason IS DISTINCT FROM '{_REPEAT}'"
_DAILY = f"""
SELECT count(*) FILTER (WHERE {_DOCTOR_VIEWS} AND transfer_id IS NULL) AS free_views,
       count(*) FILTER (WHERE service_type = '{DOCTOR_VIEW}' AND transfer_id IS NOT NULL) AS paid_views,
       coalesce(sum(amount), 0)::bigint AS spent
FROM usage WHERE user_id = $1 AND local_date = $2
"""
_SERVICES = f"""
SELECT count(*) AS views, coalesce(sum(amount), 0)::bigint AS charges,
       count(*) FILTER (WHERE transfer_id IS NULL) AS free_views
FROM usage WHERE user_id = $1 AND created_at >= $2 AND {_DOCTOR_VIEWS}
"""
# ASCII-digit ids first, in numeric order; then the rest by code point (COLLATE "C", as on the
# other backends, whatever the database's collation).
_DOCTOR_ORDER = "ORDER BY (id !~ '^[0-9]+$'), CASE WHEN id ~ '^[0-9]+$' THEN length(id) END, " \
                'id COLLATE "C"'
_UNBALANCED = """
SELECT count(*) FROM (SELECT t.id FROM transfers t LEFT JOIN entries e ON e.transfer_id = t.id
GROUP BY t.id HAVING count(e.transfer_id) <> 2 OR coalesce(sum(e.amount), 0) <> 0) AS unbalanced
"""


class PgReports(PgDashboard):
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        args = (account.code, since, type)
        total = await self._value(f"SELECT count(*) FROM entries e WHERE {_WALLET_ENTRIES}", *args)
        rows = await self._rows(_TRANSACTIONS, *args, page.per_page, page.offset)
        return Page(tuple(transaction_from(row, NATIVE) for row in rows), total, page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        row = await self._row(_TOTALS, account.code, since, None)
        return WalletTotals(row["credited"], row["debited"], row["credits"], row["debits"])

    async def payments_for_user(self, user_id: str, page: PageRequest, *,
                                gateway: str | None = None) -> Page[Payment]:
        return await self.search_payments(page, gateway=gateway, user_id=user_id)

    async def payment_summary(self, user_id: str, since: datetime) -> PaymentSummary:
        row = await self._row(_PAYMENT_SUMMARY, user_id, since)
        return PaymentSummary(row["total"], row["completed"], row["total_amount"], row["pending"],
                              row["failed"])

    async def daily_usage(self, user_id: str, local_date: date) -> DailyUsage:
        row = await self._row(_DAILY, user_id, local_date)
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def service_summary(self, user_id: str, since: datetime) -> ServiceSummary:
        row = await self._row(_SERVICES, user_id, since)
        return ServiceSummary(row["views"], row["charges"], row["free_views"])

    async def search_payments(
        self, page: PageRequest, *, status: PaymentStatus | None = None,
        gateway: str | None = None, user_id: str | None = None,
        created_from: datetime | None = None, created_before: datetime | None = None,
        payment_id: UUID | None = None, reference: str | None = None,
    ) -> Page[Payment]:
        search = payment_search(NATIVE, "$", page, status=status, gateway=gateway, user_id=user_id,
                                created_from=created_from, created_before=created_before,
                                payment_id=payment_id, reference=reference)
        total = await self._value(search.count, *search.args)
        rows = await self._rows(search.rows, *search.page_args)
        return Page(tuple(payment_from(row, self._cipher, NATIVE) for row in rows), total, page)

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        rows = await self._rows(f"SELECT {LOG_COLUMNS} FROM payment_logs WHERE payment_id = $1 "
                                "ORDER BY created_at, seq", payment_id)
        return [log_from(row, self._cipher, NATIVE) for row in rows]

    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        return await events_page(self._db, page, type=type, user_id=user_id)

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        return await deliveries_page(self._db, endpoint_id, page)

    async def oldest_undelivered(self) -> datetime | None:
        return await oldest_undelivered(self._db)

    async def holds(self, user_id: str, page: PageRequest, *,
                    status: HoldStatus | None = None) -> Page[Hold]:
        return await holds_page(self._db, user_id, page, status)

    async def active_holds(self) -> dict[Currency, int]:
        return await active_holds(self._db)

    async def recent_audit(self, limit: int) -> list[AuditEntry]:
        rows = await self._rows(f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY created_at DESC, seq DESC "
                                "LIMIT $1", limit)
        return [audit_from(row, NATIVE) for row in rows]

    async def wallets(self, page: PageRequest, *, user_prefix: str = "") -> Page[Wallet]:
        where = "WHERE starts_with(user_id, $1)"
        total = await self._value(f"SELECT count(*) FROM wallets {where}", user_prefix)
        rows = await self._rows(f"SELECT {WALLET_COLUMNS} FROM wallets {where} ORDER BY user_id, currency "
                                "LIMIT $2 OFFSET $3", user_prefix, page.per_page, page.offset)
        return Page(tuple(wallet_from(row, NATIVE) for row in rows), total, page)

    async def doctors(self, page: PageRequest) -> Page[Doctor]:
        total = await self._value("SELECT count(*) FROM doctors")
        rows = await self._rows(f"SELECT {DOCTOR_COLUMNS} FROM doctors {_DOCTOR_ORDER} LIMIT $1 OFFSET $2",
                                page.per_page, page.offset)
        return Page(tuple(doctor_from(row, self._cipher, NATIVE) for row in rows), total, page)

    async def transfer(self, transfer_id: UUID) -> Transfer | None:
        rows = await self._rows(f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE id = $1", transfer_id)
        return transfer_from(rows[0], NATIVE) if rows else None

    async def transfers_for(self, reference: str) -> list[Transfer]:
        rows = await self._rows(f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE reference = $1 ORDER BY seq",
                                reference)
        return [transfer_from(row, NATIVE) for row in rows]

    async def entry_sums(self) -> dict[Account, int]:
        rows = await self._rows("SELECT account, sum(amount)::bigint AS total FROM entries GROUP BY account")
        return {Account.from_code(row["account"]): row["total"] for row in rows}

    async def wallet_balances(self) -> dict[Account, int]:
        rows = await self._rows("SELECT user_id, currency, balance FROM wallets")
        return {Account.wallet(row["user_id"], Currency(row["currency"])): row["balance"] for row in rows}

    async def transfer_count(self) -> int:
        return int(await self._value("SELECT count(*) FROM transfers"))

    async def unbalanced_transfers(self) -> int:
        return int(await self._value(_UNBALANCED))

    async def _rows(self, sql: str, *args: Any) -> list[Any]:
        rows: list[Any] = await self._db.run_alone("fetch", sql, *args)
        return rows

    async def _row(self, sql: str, *args: Any) -> Any:
        row = await self._db.run_alone("fetchrow", sql, *args)
        assert row is not None
        return row

    async def _value(self, sql: str, *args: Any) -> Any:
        return await self._db.run_alone("fetchval", sql, *args)
