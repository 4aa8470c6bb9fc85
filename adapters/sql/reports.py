"""What is read for display or checking (``ports.reports``), the same on both SQL storages: wallet
lines and totals, payment searches and summaries, usage reports, payment logs, the audit trail, the
doctor table, the dashboard, and the sums ``verify`` compares. What a backend writes its own way is
its ``ReportSql``; the rest is written once, in SQL both read alike.

A reading unit sees one moment (a snapshot for all its queries); how a writing unit's reports run
is the backend's ``Reads`` (``adapters.postgres.queries.Alone``: none begins a transaction).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from adapters.sql.console import Dashboard
from adapters.sql.dialect import Dialect, Reads
from adapters.sql.hold_rows import hold_from
from adapters.sql.holds import HoldReports
from adapters.sql.journal_rows import (
    AUDIT_COLUMNS,
    LOG_COLUMNS,
    audit_from,
    doctor_from,
    log_from,
)
from adapters.sql.money_rows import (
    TRANSFER_COLUMNS,
    payment_from,
    transaction_from,
    transfer_from,
    wallet_from,
)
from adapters.sql.payment_search import payment_search
from adapters.sql.report_sql import (
    FLOWS_RECOUNTED,
    HOLD_MOVES,
    PAYMENT_SUMMARY,
    SUM,
    UNBALANCED,
    WALLET_FLOWS,
    ReportSql,
    report_statements,
)
from adapters.sql.webhooks import EventReports
from domain.console import DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.doctors import Doctor
from domain.events import Delivery, Event
from domain.holds import Hold, HoldMoves, HoldStatus
from domain.journal import AuditEntry
from domain.ledger import Account, Transfer, Wallet
from domain.money import Currency
from domain.paging import Page, PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import Payment, PaymentLog
from domain.reports import (
    DailyUsage,
    PaymentSummary,
    ServiceSummary,
    WalletFlows,
    WalletTotals,
    WalletTransaction,
)
from ports.services import Cipher


class SqlReports:
    def __init__(self, db: Reads, dialect: Dialect, sql: ReportSql, cipher: Cipher | None) -> None:
        self._db = db
        self._v = dialect.values
        self._sql = report_statements(sql)
        self._cipher = cipher
        self._events = EventReports(db, dialect, waiting=sql.waiting)
        self._holds = HoldReports(db, dialect)
        self._dashboard = Dashboard(db, dialect, sql.local_days)

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        args = (account.code, self._v.optional_time(since), type)
        total = await self._db.fetchval(self._sql.entries, *args)
        rows = await self._db.fetch(self._sql.transactions, *args, page.per_page, page.offset)
        return Page(tuple(transaction_from(row, self._v) for row in rows), total, page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        row = await self._row(self._sql.totals, account.code, self._v.optional_time(since), None)
        return WalletTotals(row["credited"], row["debited"], row["credits"], row["debits"])

    async def wallet_flows(self, account: Account) -> WalletFlows:
        row = await self._db.fetchrow(WALLET_FLOWS, account.owner, account.currency.value)
        return WalletFlows(row["total_in"], row["total_out"]) if row else WalletFlows()

    async def payments_for_user(self, user_id: str, page: PageRequest, *,
                                gateway: str | None = None) -> Page[Payment]:
        return await self.search_payments(PaymentSearch(gateway=gateway, user_id=user_id), page)

    async def payment_summary(self, user_id: str, since: datetime, currency: Currency) -> PaymentSummary:
        row = await self._row(PAYMENT_SUMMARY, user_id, self._v.time(since), currency.value)
        return PaymentSummary(row["total"], row["completed"], row["total_amount"], row["pending"],
                              row["failed"])

    async def daily_usage(self, user_id: str, local_date: date, currency: Currency) -> DailyUsage:
        row = await self._row(self._sql.daily, user_id, self._v.day(local_date), currency.value)
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def service_summary(self, user_id: str, since: datetime, currency: Currency) -> ServiceSummary:
        row = await self._row(self._sql.services, user_id, self._v.time(since), currency.value)
        return ServiceSummary(row["views"], row["charges"], row["free_views"])

    async def search_payments(self, search: PaymentSearch, page: PageRequest) -> Page[Payment]:
        sql = payment_search(self._v, "$", search, page)
        total = await self._db.fetchval(sql.count, *sql.args)
        rows = await self._db.fetch(sql.rows, *sql.page_args)
        return Page(tuple(payment_from(row, self._cipher, self._v) for row in rows), total, page)

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        rows = await self._db.fetch(f"SELECT {LOG_COLUMNS} FROM payment_logs WHERE payment_id = $1 "
                                    "ORDER BY created_at, seq", self._v.uuid(payment_id))
        return [log_from(row, self._cipher, self._v) for row in rows]

    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        return await self._events.events(page, type=type, user_id=user_id)

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        return await self._events.deliveries(endpoint_id, page)

    async def oldest_undelivered(self) -> datetime | None:
        return await self._events.oldest_undelivered()

    async def holds(self, user_id: str, page: PageRequest, *,
                    status: HoldStatus | None = None) -> Page[Hold]:
        return await self._holds.holds(user_id, page, status=status)

    async def active_holds(self) -> dict[Currency, int]:
        return await self._holds.active_holds()

    async def recent_audit(self, limit: int) -> list[AuditEntry]:
        rows = await self._db.fetch(f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY created_at DESC, seq DESC "
                                    "LIMIT $1", limit)
        return [audit_from(row, self._v) for row in rows]

    async def wallets(self, page: PageRequest, *, user_prefix: str = "") -> Page[Wallet]:
        total = await self._db.fetchval(self._sql.wallet_count, user_prefix)
        rows = await self._db.fetch(self._sql.wallets, user_prefix, page.per_page, page.offset)
        return Page(tuple(wallet_from(row, self._v) for row in rows), total, page)

    async def doctors(self, page: PageRequest) -> Page[Doctor]:
        total = await self._db.fetchval("SELECT count(*) FROM doctors")
        rows = await self._db.fetch(self._sql.doctors, page.per_page, page.offset)
        return Page(tuple(doctor_from(row, self._cipher, self._v) for row in rows), total, page)

    async def transfer(self, transfer_id: UUID) -> Transfer | None:
        row = await self._db.fetchrow(f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE id = $1",
                                      self._v.uuid(transfer_id))
        return transfer_from(row, self._v) if row else None

    async def transfers_for(self, reference: str) -> list[Transfer]:
        rows = await self._db.fetch(f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE reference = $1 "
                                    "ORDER BY seq", reference)
        return [transfer_from(row, self._v) for row in rows]

    async def entry_sums(self) -> dict[Account, int]:
        rows = await self._db.fetch(f"SELECT account, {SUM.format('amount')} AS total FROM entries "
                                    "GROUP BY account")
        return {Account.from_code(row["account"]): row["total"] for row in rows}

    async def wallet_balances(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT user_id, currency, balance FROM wallets")
        return {Account.wallet(row["user_id"], Currency(row["currency"])): row["balance"] for row in rows}

    async def transfer_count(self) -> int:
        return int(await self._db.fetchval("SELECT count(*) FROM transfers"))

    async def unbalanced_transfers(self) -> int:
        return int(await self._db.fetchval(UNBALANCED))

    async def wallet_flows_recounted(self) -> list[tuple[Account, WalletFlows, WalletFlows]]:
        return [(Account.wallet(row["user_id"], Currency(row["currency"])),
                 WalletFlows(row["total_in"], row["total_out"]),
                 WalletFlows(row["counted_in"], row["counted_out"]))
                for row in await self._db.fetch(FLOWS_RECOUNTED)]

    async def hold_moves(self) -> list[tuple[Hold, HoldMoves]]:
        return [(hold_from(row, self._v), HoldMoves(row["held"], row["back"], row["charged"], row["charges"],
                                                   bool(row["names_its_charge"])))
                for row in await self._db.fetch(HOLD_MOVES)]

    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        return await self._dashboard.daily_totals(since, utc_offset_seconds)

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        return await self._dashboard.service_revenue(since)

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        return await self._dashboard.gateway_outcomes(since)

    async def _row(self, sql: str, *args: Any) -> Any:
        row = await self._db.fetchrow(sql, *args)
        assert row is not None  # an aggregate without GROUP BY answers one row
        return row
