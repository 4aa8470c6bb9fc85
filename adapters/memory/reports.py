"""What is read for display or checking (``ports.reports``), over the unit's own view of the
store: a reading unit sees one committed moment, a writing one its own writes as well. Everything
returned is a copy."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from uuid import UUID

import attrs

from adapters.memory.console import MemoryDashboard
from adapters.memory.doctors import doctor_copy, doctor_order
from adapters.memory.events import deliveries_page, events_page, oldest_undelivered
from adapters.memory.holds import active_holds, holds_page
from adapters.memory.ledger import Line
from adapters.memory.payments import OPEN, newest_first
from adapters.memory.state import Tables
from domain.doctors import Doctor
from domain.events import Delivery, Event
from domain.holds import Hold, HoldMoves, HoldStatus
from domain.journal import AuditEntry
from domain.ledger import Account, AccountKind, Transfer, TransferKind, Wallet
from domain.money import Currency
from domain.paging import Page, PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import Payment, PaymentLog, PaymentStatus
from domain.reports import (
    RESERVATION_KINDS,
    DailyUsage,
    PaymentSummary,
    ServiceSummary,
    WalletFlows,
    WalletTotals,
    WalletTransaction,
)
from domain.usage import DOCTOR_VIEW, Usage

_FAILED = (PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)


def _refunded(tables: Tables, transfer: Transfer) -> int | None:
    """A charge's refunds so far, in minor units (None for a transfer that is not a charge)."""
    if transfer.kind is not TransferKind.CHARGE:
        return None
    return sum(t.amount.minor for t in tables.filed("transfers", f"refund:{transfer.id}")
               if t.kind is TransferKind.REFUND)


def _matches(payment: Payment, search: PaymentSearch) -> bool:
    """Whether ``payment`` has the status, gateway and user ``search`` gives and was created in its
    period (``_keyed`` has already matched its id and reference)."""
    wanted = ((search.status, payment.status), (search.gateway, payment.gateway),
              (search.user_id, payment.user_id))
    return (all(given is None or given == value for given, value in wanted)
            and (search.created_from is None or payment.created_at >= search.created_from)
            and (search.created_before is None or payment.created_at < search.created_before))


def _keyed(tables: Tables, payment_id: UUID | None, reference: str | None) -> Iterable[Payment]:
    """The payments a search looks through: the one its id or reference names (found by key, as
    the SQL stores find it), else all."""
    if reference is not None:
        named = tables.table("payment_references").get(reference)
        if named is None or payment_id not in (None, named):
            return ()
        payment_id = named
    if payment_id is None:
        return tables.table("payments").values()
    found = tables.table("payments").get(payment_id)
    return (found,) if found is not None else ()


def _captured_from_the_holds_account(tables: Tables, hold: Hold) -> bool:
    """A capture made before 2026-12-07: its charge went from the holds account to the revenue."""
    return hold.status is HoldStatus.CAPTURED and any(
        t.id == hold.transaction_id and t.debit.kind is AccountKind.HOLDS
        for t in tables.filed("transfers", f"hold:{hold.id}"))


def _doctor_view(usage: Usage) -> bool:
    """A doctor view that counts: repeats of a doctor already seen that day do not."""
    return usage.service_type == DOCTOR_VIEW and not usage.is_repeat


class MemoryReports(MemoryDashboard):
    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        lines = [line for line in await self._wallet_lines(account, since)
                 if type is None or ("credit" if line.is_credit else "debit") == type]
        newest_lines = [line for _, line in sorted(
            enumerate(lines), key=lambda pair: (pair[1].entry.created_at, pair[0]), reverse=True)]
        chosen = newest_lines[page.offset: page.offset + page.per_page]
        tables = await self._tables()
        return Page(tuple(line.transaction(_refunded(tables, line.transfer)) for line in chosen),
                    len(lines), page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        lines = [line for line in await self._wallet_lines(account, since)
                 if line.transfer.kind not in RESERVATION_KINDS]
        credits = [line.entry.amount for line in lines if line.is_credit]
        debits = [line.entry.amount for line in lines if not line.is_credit]
        return WalletTotals(sum(credits), -sum(debits), len(credits), len(debits))

    async def wallet_flows(self, account: Account) -> WalletFlows:
        """Counted from the lines each time (what the SQL storages keep on the wallet's row): the
        totals of its whole life, and the captures of the earlier form."""
        totals, tables = await self.wallet_totals(account, since=None), await self._tables()
        earlier = sum(hold.captured().minor for hold in tables.table("holds").values()
                      if Account.wallet(hold.user_id, hold.currency) == account
                      and _captured_from_the_holds_account(tables, hold))
        return WalletFlows(totals.total_credited, totals.total_debited + earlier)

    async def payments_for_user(self, user_id: str, page: PageRequest, *,
                                gateway: str | None = None) -> Page[Payment]:
        return await self.search_payments(PaymentSearch(gateway=gateway, user_id=user_id), page)

    async def payment_summary(self, user_id: str, since: datetime, currency: Currency) -> PaymentSummary:
        mine = await self._payments(lambda p: p.user_id == user_id and p.created_at >= since
                                    and p.amount.currency is currency)
        completed = [p for p in mine if p.status is PaymentStatus.COMPLETED]
        return PaymentSummary(
            len(mine), len(completed), sum(p.amount.minor for p in completed),
            sum(1 for p in mine if p.status in OPEN), sum(1 for p in mine if p.status in _FAILED),
        )

    async def daily_usage(self, user_id: str, local_date: date, currency: Currency) -> DailyUsage:
        today = [u for u in await self._usage_of(user_id) if u.local_date == local_date]
        free = sum(1 for u in today if _doctor_view(u) and not u.charged)
        paid = sum(1 for u in today if u.service_type == DOCTOR_VIEW and u.charged)
        return DailyUsage(free, paid, free + paid, sum(u.amount for u in today if u.currency is currency))

    async def service_summary(self, user_id: str, since: datetime, currency: Currency) -> ServiceSummary:
        views = [u for u in await self._usage_of(user_id) if _doctor_view(u) and u.created_at >= since]
        return ServiceSummary(len(views), sum(u.amount for u in views if u.currency is currency),
                              sum(1 for u in views if not u.charged))

    async def search_payments(self, search: PaymentSearch, page: PageRequest) -> Page[Payment]:
        keyed = _keyed(await self._tables(), search.payment_id, search.reference)
        found = newest_first(p for p in keyed if _matches(p, search))
        chosen = found[page.offset: page.offset + page.per_page]
        return Page(tuple(attrs.evolve(p) for p in chosen), len(found), page)

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        logs = (await self._tables()).filed("payment_logs", payment_id)
        return sorted(logs, key=lambda log: log.created_at)

    async def recent_audit(self, limit: int) -> list[AuditEntry]:
        entries = list(enumerate((await self._tables()).log("audit")))
        entries.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
        return [entry for _, entry in entries[:limit]]

    async def wallets(self, page: PageRequest, *, user_prefix: str = "") -> Page[Wallet]:
        found = sorted((w for w in (await self._tables()).table("wallets").values()
                        if w.user_id.startswith(user_prefix)), key=lambda w: (w.user_id, w.currency.value))
        chosen = found[page.offset:page.offset + page.per_page]
        return Page(tuple(w.copy() for w in chosen), len(found), page)

    async def doctors(self, page: PageRequest) -> Page[Doctor]:
        doctors = (await self._tables()).table("doctors")
        ordered = sorted(doctors, key=doctor_order)
        chosen = ordered[page.offset:page.offset + page.per_page]
        return Page(tuple(doctor_copy(doctors[doctor_id]) for doctor_id in chosen), len(ordered), page)

    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        return events_page(await self._tables(), page, type=type, user_id=user_id)

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        return deliveries_page(await self._tables(), endpoint_id, page)

    async def oldest_undelivered(self) -> datetime | None:
        return oldest_undelivered(await self._tables())

    async def holds(self, user_id: str, page: PageRequest, *,
                    status: HoldStatus | None = None) -> Page[Hold]:
        return holds_page(await self._tables(), user_id, page, status)

    async def active_holds(self) -> dict[Currency, int]:
        return active_holds(await self._tables())

    async def transfer(self, transfer_id: UUID) -> Transfer | None:
        return next((t for t in (await self._tables()).log("transfers") if t.id == transfer_id), None)

    async def transfers_for(self, reference: str) -> list[Transfer]:
        return (await self._tables()).filed("transfers", reference)

    async def entry_sums(self) -> dict[Account, int]:
        sums: dict[Account, int] = defaultdict(int)
        for line in (await self._tables()).log("entries"):
            sums[line.entry.account] += line.entry.amount
        return dict(sums)

    async def wallet_balances(self) -> dict[Account, int]:
        return {wallet.account: wallet.balance.minor
                for wallet in (await self._tables()).table("wallets").values()}

    async def transfer_count(self) -> int:
        return (await self._tables()).count("transfers")

    async def unbalanced_transfers(self) -> int:
        tables = await self._tables()
        counts: Counter[object] = Counter()
        sums: dict[object, int] = defaultdict(int)
        for line in tables.log("entries"):
            counts[line.entry.transfer_id] += 1
            sums[line.entry.transfer_id] += line.entry.amount
        return sum(1 for transfer in tables.log("transfers")
                   if counts[transfer.id] != 2 or sums[transfer.id] != 0)

    async def wallet_flows_recounted(self) -> list[tuple[Account, WalletFlows, WalletFlows]]:
        # Nothing is kept apart from the lines here: the flows are their count.
        counted = [(wallet.account, await self.wallet_flows(wallet.account))
                   for wallet in (await self._tables()).table("wallets").values()]
        return [(account, flows, flows) for account, flows in counted]

    async def hold_moves(self) -> list[tuple[Hold, HoldMoves]]:
        tables = await self._tables()
        return [(hold, HoldMoves.of(hold, tables.filed("transfers", f"hold:{hold.id}")))
                for hold in tables.table("holds").values()]

    async def _wallet_lines(self, account: Account, since: datetime | None) -> list[Line]:
        return [line for line in (await self._tables()).filed("entries", account)
                if since is None or line.entry.created_at >= since]

    async def _payments(self, wanted: Callable[[Payment], bool]) -> list[Payment]:
        return [p for p in (await self._tables()).table("payments").values() if wanted(p)]

    async def _usage_of(self, user_id: str) -> list[Usage]:
        return (await self._tables()).filed("usage", user_id)
