"""What is read for display or checking (``ports.reports``): wallet lines and totals, payment
searches and summaries, usage reports, payment logs, the audit trail, the doctor table, and the
sums ``verify`` compares. Plain reads in the unit's transaction: a reading unit sees one moment."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

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
from adapters.sqlite.console import SqliteDashboard
from adapters.sqlite.events import deliveries_page, events_page, oldest_undelivered
from adapters.sqlite.holds import active_holds, holds_page
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, date_text, optional_time_text, time_text, uuid_text
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

# A wallet's entries (named parameters: :account, :since or NULL, :type 'credit' | 'debit' or NULL).
_WALLET_ENTRIES = """
e.account = :account AND (:since IS NULL OR e.created_at >= :since)
AND (:type IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = :type)
"""
_TRANSACTIONS = f"""
SELECT e.transfer_id, e.amount, e.balance_after, e.created_at, t.description, t.kind, t.reference,
       CASE WHEN t.kind = 'charge' THEN (
           SELECT coalesce(sum(r.amount), 0) FROM transfers r
           WHERE r.reference = 'refund:' || t.id AND r.kind = 'refund') END AS refunded
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {_WALLET_ENTRIES}
ORDER BY e.created_at DESC, e.seq DESC LIMIT :limit OFFSET :offset
"""
_TOTALS = f"""
SELECT coalesce(sum(CASE WHEN e.amount > 0 THEN e.amount END), 0) AS credited,
       coalesce(-sum(CASE WHEN e.amount <= 0 THEN e.amount END), 0) AS debited,
       count(CASE WHEN e.amount > 0 THEN 1 END) AS credits,
       count(CASE WHEN e.amount <= 0 THEN 1 END) AS debits
FROM entries e WHERE {_WALLET_ENTRIES}
"""
_PAYMENT_SUMMARY = """
SELECT count(*) AS total,
       count(CASE WHEN status = 'completed' THEN 1 END) AS completed,
       coalesce(sum(CASE WHEN status = 'completed' THEN amount END), 0) AS total_amount,
       count(CASE WHEN status IN ('pending', 'processing') THEN 1 END) AS pending,
       count(CASE WHEN status IN ('failed', 'cancelled', 'expired') THEN 1 END) AS failed
FROM payments WHERE user_id = ? AND created_at >= ?
"""
_REPEAT = FreeReason.REPEAT_VIEW.value
_DOCTOR_VIEWS = f"service_type = '{DOCTOR_VIEW}' AND free_reason IS NOT '{_REPEAT}'"
_DAILY = f"""
SELECT count(CASE WHEN {_DOCTOR_VIEWS} AND transfer_id IS NULL THEN 1 END) AS free_views,
       count(CASE WHEN service_type = '{DOCTOR_VIEW}' AND transfer_id IS NOT NULL THEN 1 END) AS paid_views,
       coalesce(sum(amount), 0) AS spent
FROM usage WHERE user_id = ? AND local_date = ?
"""
_SERVICES = f"""
SELECT count(*) AS views, coalesce(sum(amount), 0) AS charges,
       count(CASE WHEN transfer_id IS NULL THEN 1 END) AS free_views
FROM usage WHERE user_id = ? AND created_at >= ? AND {_DOCTOR_VIEWS}
"""
# ASCII-digit ids first, in numeric order; then the rest by id (bytes: code point order).
_DOCTOR_ORDER = "ORDER BY (id = '' OR id GLOB '*[^0-9]*'), CASE WHEN id GLOB '*[^0-9]*' THEN 0 " \
                "ELSE length(id) END, id"
_UNBALANCED = """
SELECT count(*) FROM (
    SELECT t.id FROM transfers t LEFT JOIN entries e ON e.transfer_id = t.id GROUP BY t.id
    HAVING count(e.transfer_id) <> 2 OR coalesce(sum(e.amount), 0) <> 0
)
"""


def _wallet_filter(account: Account, since: datetime | None, type: str | None) -> dict[str, object]:
    return {"account": account.code, "since": optional_time_text(since), "type": type}


class SqliteReports(SqliteDashboard):
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        where = _wallet_filter(account, since, type)
        total = await self._db.fetchval(f"SELECT count(*) FROM entries e WHERE {_WALLET_ENTRIES}", where)
        rows = await self._db.fetch(_TRANSACTIONS, {**where, "limit": page.per_page, "offset": page.offset})
        return Page(tuple(transaction_from(row, STORED) for row in rows), total, page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        row = await self._db.fetchone(_TOTALS, _wallet_filter(account, since, None))
        assert row is not None
        return WalletTotals(row["credited"], row["debited"], row["credits"], row["debits"])

    async def payments_for_user(self, user_id: str, page: PageRequest, *,
                                gateway: str | None = None) -> Page[Payment]:
        return await self.search_payments(page, gateway=gateway, user_id=user_id)

    async def payment_summary(self, user_id: str, since: datetime) -> PaymentSummary:
        row = await self._db.fetchone(_PAYMENT_SUMMARY, (user_id, time_text(since)))
        assert row is not None
        return PaymentSummary(row["total"], row["completed"], row["total_amount"], row["pending"],
                              row["failed"])

    async def daily_usage(self, user_id: str, local_date: date) -> DailyUsage:
        row = await self._db.fetchone(_DAILY, (user_id, date_text(local_date)))
        assert row is not None
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def service_summary(self, user_id: str, since: datetime) -> ServiceSummary:
        row = await self._db.fetchone(_SERVICES, (user_id, time_text(since)))
        assert row is not None
        return ServiceSummary(row["views"], row["charges"], row["free_views"])

    async def search_payments(
        self, page: PageRequest, *, status: PaymentStatus | None = None,
        gateway: str | None = None, user_id: str | None = None,
        created_from: datetime | None = None, created_before: datetime | None = None,
        payment_id: UUID | None = None, reference: str | None = None,
    ) -> Page[Payment]:
        search = payment_search(STORED, "?", page, status=status, gateway=gateway, user_id=user_id,
                                created_from=created_from, created_before=created_before,
                                payment_id=payment_id, reference=reference)
        total = await self._db.fetchval(search.count, search.args)
        rows = await self._db.fetch(search.rows, search.page_args)
        return Page(tuple(payment_from(row, self._cipher, STORED) for row in rows), total, page)

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        rows = await self._db.fetch(
            f"SELECT {LOG_COLUMNS} FROM payment_logs WHERE payment_id = ? ORDER BY created_at, seq",
            (uuid_text(payment_id),),
        )
        return [log_from(row, self._cipher, STORED) for row in rows]

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
        rows = await self._db.fetch(
            f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY created_at DESC, seq DESC LIMIT ?", (limit,)
        )
        return [audit_from(row, STORED) for row in rows]

    async def wallets(self, page: PageRequest, *, user_prefix: str = "") -> Page[Wallet]:
        where = "WHERE substr(user_id, 1, length(:prefix)) = :prefix"
        total = await self._db.fetchval(f"SELECT count(*) FROM wallets {where}", {"prefix": user_prefix})
        rows = await self._db.fetch(f"SELECT {WALLET_COLUMNS} FROM wallets {where} ORDER BY user_id, "
                                    "currency LIMIT :limit OFFSET :offset",
                                    {"prefix": user_prefix, "limit": page.per_page, "offset": page.offset})
        return Page(tuple(wallet_from(row, STORED) for row in rows), total, page)

    async def doctors(self, page: PageRequest) -> Page[Doctor]:
        total = await self._db.fetchval("SELECT count(*) FROM doctors")
        rows = await self._db.fetch(f"SELECT {DOCTOR_COLUMNS} FROM doctors {_DOCTOR_ORDER} LIMIT ? OFFSET ?",
                                    (page.per_page, page.offset))
        return Page(tuple(doctor_from(row, self._cipher, STORED) for row in rows), total, page)

    async def transfer(self, transfer_id: UUID) -> Transfer | None:
        row = await self._db.fetchone(f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE id = ?",
                                      (uuid_text(transfer_id),))
        return transfer_from(row, STORED) if row else None

    async def transfers_for(self, reference: str) -> list[Transfer]:
        rows = await self._db.fetch(
            f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE reference = ? ORDER BY seq", (reference,)
        )
        return [transfer_from(row, STORED) for row in rows]

    async def entry_sums(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT account, sum(amount) AS total FROM entries GROUP BY account")
        return {Account.from_code(row["account"]): row["total"] for row in rows}

    async def wallet_balances(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT user_id, currency, balance FROM wallets")
        return {Account.wallet(row["user_id"], Currency(row["currency"])): row["balance"] for row in rows}

    async def transfer_count(self) -> int:
        return int(await self._db.fetchval("SELECT count(*) FROM transfers"))

    async def unbalanced_transfers(self) -> int:
        return int(await self._db.fetchval(_UNBALANCED))
